// The shared sample geometry: capped, sorted by class, and consistent with the histogram it carries.
import { describe, expect, it } from 'vitest';
import { computeSampleGeometry } from '../src/core/eval/sampleGeometry';

describe('computeSampleGeometry', () => {
  it('sorts by class, caps the sample and bins every pair once', () => {
    // Class 0 along x, class 1 along y: same-class cosine 1, different-class 0.
    const features = Float32Array.from([1, 0, 0, 1, 2, 0, 0, 3, 5, 0]);
    const labels = Int32Array.from([0, 1, 0, 1, 0]);
    const g = computeSampleGeometry(features, labels, 2, 4);
    expect(g.n).toBe(4);
    expect(Array.from(g.labels)).toEqual([0, 0, 1, 1]);
    expect(Array.from(g.order)).toEqual([0, 2, 1, 3]);
    expect(g.classRuns).toEqual([
      { label: 0, start: 0, end: 2 },
      { label: 1, start: 2, end: 4 },
    ]);
    expect(g.histogram.sameCount).toBe(2);
    expect(g.histogram.differentCount).toBe(4);
    expect(g.histogram.sameMean).toBeCloseTo(1);
    expect(g.histogram.differentMean).toBeCloseTo(0);
    expect(g.cosines[0 * 4 + 1]).toBeCloseTo(1);
    expect(g.cosines[0 * 4 + 2]).toBeCloseTo(0);
  });
});
