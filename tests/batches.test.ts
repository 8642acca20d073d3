// Batches: the sampler covers each epoch without repeats; normalisation, crop and flip move the right pixels.
import { describe, expect, it } from 'vitest';
import { assembleBatch, createBatchSampler, gatherImages } from '../src/core/data/batches';
import { createRng, type Rng } from '../src/core/rng';
import { IMAGE_BYTES } from '../src/core/data/types';
import { makeSyntheticDataset } from './helpers/synthetic';

const STATS = { mean: [0.5, 0.4, 0.3] as [number, number, number], std: [0.2, 0.25, 0.3] as [number, number, number] };

/** An Rng whose next() and int() replay fixed values, to force a given shift and flip. */
function scripted(ints: number[], floats: number[]): Rng {
  const base = createRng(0);
  return { ...base, int: () => ints.shift()!, next: () => floats.shift()! };
}

describe('createBatchSampler', () => {
  it('visits every index once per epoch, drops the remainder, reshuffles', () => {
    const sampler = createBatchSampler(50, 16, createRng(1));
    expect(sampler.stepsPerEpoch).toBe(3);
    const epoch1 = [sampler.next(), sampler.next(), sampler.next()].flatMap((b) => Array.from(b));
    expect(new Set(epoch1).size).toBe(48);
    const epoch2 = [sampler.next(), sampler.next(), sampler.next()].flatMap((b) => Array.from(b));
    expect(epoch2).not.toEqual(epoch1);
  });

  it('a set smaller than a batch gives one batch of everything', () => {
    const sampler = createBatchSampler(5, 16, createRng(1));
    expect(sampler.stepsPerEpoch).toBe(1);
    expect(Array.from(sampler.next()).sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('assembleBatch', () => {
  const ds = makeSyntheticDataset(3, 3, 2);
  const norm = (v: number, c: number) => (v / 255 - STATS.mean[c]) / STATS.std[c];

  it('without augmentation normalises every pixel per channel', () => {
    const out = assembleBatch(ds, [2, 0], STATS);
    for (let p = 0; p < IMAGE_BYTES; p += 97) {
      expect(out[p]).toBeCloseTo(norm(ds.images[2 * IMAGE_BYTES + p], p % 3), 5);
      expect(out[IMAGE_BYTES + p]).toBeCloseTo(norm(ds.images[p], p % 3), 5);
    }
  });

  it('a crop shift moves pixels and pads with black; a flip mirrors columns', () => {
    // int(9) → 4 + dy, int(9) → 4 + dx: dy = +2, dx = -3; next() = 0.9 → no flip
    const shifted = assembleBatch(ds, [1], STATS, scripted([6, 1], [0.9]));
    const px = (y: number, x: number, c: number) => ds.images[IMAGE_BYTES + (y * 32 + x) * 3 + c];
    expect(shifted[(5 * 32 + 10) * 3 + 1]).toBeCloseTo(norm(px(7, 7, 1), 1), 5);
    expect(shifted[(31 * 32 + 10) * 3]).toBeCloseTo(norm(0, 0), 5); // row 33 does not exist
    expect(shifted[(5 * 32 + 1) * 3 + 2]).toBeCloseTo(norm(0, 2), 5); // column -2 does not exist
    const flipped = assembleBatch(ds, [1], STATS, scripted([4, 4], [0.1]));
    expect(flipped[(3 * 32 + 0) * 3]).toBeCloseTo(norm(px(3, 31, 0), 0), 5);
    expect(flipped[(3 * 32 + 31) * 3 + 2]).toBeCloseTo(norm(px(3, 0, 2), 2), 5);
  });
});

describe('gatherImages', () => {
  it('copies the raw HWC bytes of the given images, in the given order', () => {
    const ds = makeSyntheticDataset(6, 3, 4);
    const out = gatherImages(ds, [4, 0, 4]);
    expect(out).toHaveLength(3 * IMAGE_BYTES);
    expect(out.subarray(0, IMAGE_BYTES)).toEqual(ds.images.subarray(4 * IMAGE_BYTES, 5 * IMAGE_BYTES));
    expect(out.subarray(IMAGE_BYTES, 2 * IMAGE_BYTES)).toEqual(ds.images.subarray(0, IMAGE_BYTES));
    expect(out.subarray(2 * IMAGE_BYTES)).toEqual(ds.images.subarray(4 * IMAGE_BYTES, 5 * IMAGE_BYTES));
    // A copy: writing to it leaves the data set alone.
    out[0] = (ds.images[4 * IMAGE_BYTES] + 1) % 256;
    expect(out[0]).not.toBe(ds.images[4 * IMAGE_BYTES]);
    expect(gatherImages(ds, [])).toHaveLength(0);
  });
});
