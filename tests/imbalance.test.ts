// Long-tail subsets: the exponential profile's counts, the images kept come from the right class without
// repeats, the same seed gives the same subset.
import { describe, expect, it } from 'vitest';
import { countPerClass } from '../src/core/data/cifarBinary';
import { computeLongTailCounts, selectLongTail } from '../src/core/data/imbalance';
import type { ImageDataset } from '../src/core/data/types';

/** Image i carries i in its first two bytes. */
function makeDataset(classes: number, perClass: number): ImageDataset {
  const count = classes * perClass;
  const images = new Uint8Array(count * 3072);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % classes;
    images[i * 3072] = i % 256;
    images[i * 3072 + 1] = i >> 8;
  }
  return { images, labels, classNames: Array.from({ length: classes }, (_, c) => `c${c}`), count };
}

describe('long-tail subsets', () => {
  it('follows n_c = n_max · ρ^(−c/(K−1)) with largest/smallest = ρ', () => {
    const counts = computeLongTailCounts(200, 10, 10);
    expect(counts[0]).toBe(200);
    expect(counts[9]).toBe(20);
    counts.forEach((n, c) => expect(n).toBe(Math.round(200 * 10 ** (-c / 9))));
    for (let c = 1; c < 10; c++) expect(counts[c]).toBeLessThanOrEqual(counts[c - 1]);
    expect(computeLongTailCounts(50, 4, 1)).toEqual([50, 50, 50, 50]);
    expect(() => computeLongTailCounts(50, 4, 0.5)).toThrow(RangeError);
  });

  it('keeps the computed count of every class, each image from its class, no repeats, seeded', () => {
    const source = makeDataset(5, 100);
    const { dataset, classCounts } = selectLongTail(source, { ratio: 10, seed: 2 });
    expect(classCounts).toEqual(computeLongTailCounts(100, 5, 10));
    expect(Array.from(countPerClass(dataset.labels, 5))).toEqual(classCounts);
    const ids = Array.from({ length: dataset.count }, (_, i) => dataset.images[i * 3072] + (dataset.images[i * 3072 + 1] << 8));
    expect(new Set(ids).size).toBe(dataset.count);
    ids.forEach((id, i) => expect(source.labels[id]).toBe(dataset.labels[i]));
    const again = selectLongTail(source, { ratio: 10, seed: 2 }).dataset;
    const other = selectLongTail(source, { ratio: 10, seed: 3 }).dataset;
    expect(Array.from(again.images.subarray(0, 3072 * 20))).toEqual(Array.from(dataset.images.subarray(0, 3072 * 20)));
    expect(Array.from(other.labels)).not.toEqual(Array.from(dataset.labels));
  });
});
