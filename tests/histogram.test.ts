// Same-class vs different-class histograms: pairs counted once, fractions per group, bins clamped.
import { describe, expect, it } from 'vitest';
import { computeCosineHistogram, findBin } from '../src/core/eval/histogram';

describe('findBin', () => {
  it('maps [-1, 1] onto bins, clamping the ends', () => {
    expect(findBin(-1, 4)).toBe(0);
    expect(findBin(-0.01, 4)).toBe(1);
    expect(findBin(0, 4)).toBe(2);
    expect(findBin(1, 4)).toBe(3);
    expect(findBin(1.5, 4)).toBe(3);
    expect(findBin(-7, 4)).toBe(0);
  });
});

describe('computeCosineHistogram', () => {
  it('counts each unordered pair once, split by class, as fractions of its group', () => {
    // Three points: 0 and 1 same class (cos 0.9), 2 different (cos 0.1 and -0.5).
    const cos = [1, 0.9, 0.1, 0.9, 1, -0.5, 0.1, -0.5, 1];
    const h = computeCosineHistogram(cos, [0, 0, 1], 4);
    expect(h.edges).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(h.sameCount).toBe(1);
    expect(h.differentCount).toBe(2);
    expect(h.same).toEqual([0, 0, 0, 1]);
    expect(h.different).toEqual([0, 0.5, 0.5, 0]);
    expect(h.sameMean).toBeCloseTo(0.9);
    expect(h.differentMean).toBeCloseTo(-0.2);
  });

  it('handles a sample with one class (no different pairs)', () => {
    const h = computeCosineHistogram([1, 0.5, 0.5, 1], [3, 3], 2);
    expect(h.differentCount).toBe(0);
    expect(h.different).toEqual([0, 0]);
    expect(Number.isNaN(h.differentMean)).toBe(true);
  });
});
