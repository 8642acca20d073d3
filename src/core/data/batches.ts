// Mini-batches for training and evaluation: a seeded epoch-wise sampler, random-crop (4-pixel zero padding)
// and horizontal-flip augmentation, and per-channel normalisation into a float NHWC buffer.
import type { Rng, RngState } from '../rng';
import { isRngState, shuffleInPlace } from '../rng';
import type { ChannelStats } from './subset';
import { IMAGE_BYTES, IMAGE_CHANNELS, IMAGE_SIZE, type ImageDataset } from './types';

export type { ChannelStats };

/** Pixels of padding for the random crop, as in the reference recipe. */
export const CROP_PADDING = 4;

/**
 * Draws batches of indices: each epoch is a fresh seeded permutation cut into floor(count / batchSize)
 * batches (the incomplete remainder is dropped so every step sees a full batch; a set smaller than one
 * batch gives one batch of everything).
 */
export interface BatchSampler {
  readonly stepsPerEpoch: number;
  /** Indices of the next batch (a new array each call). */
  next(): Int32Array;
  /** Where the sampler stands, as plain JSON (a few numbers, not the permutation). */
  saveState(): SamplerState;
  /** Continue exactly from a saved position. Throws RangeError when the state is not one of this sampler's shape. */
  restoreState(state: SamplerState): void;
}

/**
 * A sampler's position: the set size and batch size it was made for, the batches drawn from the current
 * epoch's permutation, and the generator as it stood before shuffling that permutation (so restoring
 * re-shuffles the same permutation instead of storing it).
 */
export interface SamplerState {
  count: number;
  batchSize: number;
  cursor: number;
  rng: RngState;
}

export function createBatchSampler(count: number, batchSize: number, rng: Rng): BatchSampler {
  const size = Math.min(batchSize, count);
  const stepsPerEpoch = Math.max(1, Math.floor(count / size));
  let order = new Int32Array(0);
  let cursor = stepsPerEpoch; // forces a shuffle on the first call
  let beforeShuffle = rng.saveState();
  const shuffle = () => {
    beforeShuffle = rng.saveState();
    order = shuffleInPlace(Int32Array.from({ length: count }, (_, i) => i), rng);
  };
  return {
    stepsPerEpoch,
    next() {
      if (cursor >= stepsPerEpoch) {
        shuffle();
        cursor = 0;
      }
      const start = cursor * size;
      cursor++;
      return order.slice(start, start + size);
    },
    saveState: () => ({ count, batchSize, cursor, rng: cursor >= stepsPerEpoch ? rng.saveState() : { ...beforeShuffle } }),
    restoreState(state) {
      const ok = typeof state === 'object' && state !== null && state.count === count && state.batchSize === batchSize &&
        Number.isInteger(state.cursor) && state.cursor >= 0 && state.cursor <= stepsPerEpoch && isRngState(state.rng);
      if (!ok) throw new RangeError(`the batch order was saved for another set or batch size (this one: ${count} images, batch ${batchSize})`);
      rng.restoreState(state.rng);
      cursor = state.cursor;
      if (cursor < stepsPerEpoch) shuffle();
    },
  };
}

/**
 * Build a normalised float batch [n, 32, 32, 3] (NHWC, flattened) from dataset images.
 * With `rng`, each image is randomly shifted by up to CROP_PADDING pixels (what random-crop of the
 * zero-padded image does; uncovered pixels are black before normalisation) and flipped with
 * probability 1/2. Without it, images are copied as they are.
 */
export function assembleBatch(dataset: ImageDataset, indices: ArrayLike<number>, stats: ChannelStats, rng?: Rng): Float32Array {
  const out = new Float32Array(indices.length * IMAGE_BYTES);
  const scale = stats.std.map((s) => 1 / (255 * s));
  const offset = stats.mean.map((m, c) => -m / stats.std[c]);
  const src = dataset.images;
  for (let b = 0; b < indices.length; b++) {
    const base = indices[b] * IMAGE_BYTES;
    const dst = b * IMAGE_BYTES;
    const dy = rng ? rng.int(2 * CROP_PADDING + 1) - CROP_PADDING : 0;
    const dx = rng ? rng.int(2 * CROP_PADDING + 1) - CROP_PADDING : 0;
    const flip = rng ? rng.next() < 0.5 : false;
    for (let y = 0; y < IMAGE_SIZE; y++) {
      const sy = y + dy;
      for (let x = 0; x < IMAGE_SIZE; x++) {
        const sxUnflipped = flip ? IMAGE_SIZE - 1 - x : x;
        const sx = sxUnflipped + dx;
        const o = dst + (y * IMAGE_SIZE + x) * IMAGE_CHANNELS;
        const inside = sy >= 0 && sy < IMAGE_SIZE && sx >= 0 && sx < IMAGE_SIZE;
        const s = base + (sy * IMAGE_SIZE + sx) * IMAGE_CHANNELS;
        for (let c = 0; c < IMAGE_CHANNELS; c++) {
          out[o + c] = (inside ? src[s + c] : 0) * scale[c] + offset[c];
        }
      }
    }
  }
  return out;
}

/** Labels of the given indices. */
export function gatherLabels(dataset: ImageDataset, indices: ArrayLike<number>): Int32Array {
  const out = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = dataset.labels[indices[i]];
  return out;
}

/**
 * The raw pixels of the given images, in the given order: [indices.length, 32, 32, 3] HWC uint8, a new array
 * the caller owns (the worker transfers it to the page for the feature map's thumbnails).
 */
export function gatherImages(dataset: ImageDataset, indices: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(indices.length * IMAGE_BYTES);
  for (let i = 0; i < indices.length; i++) {
    const start = indices[i] * IMAGE_BYTES;
    out.set(dataset.images.subarray(start, start + IMAGE_BYTES), i * IMAGE_BYTES);
  }
  return out;
}
