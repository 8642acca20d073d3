// Seeded label noise on a training set, as in the label-noise experiments OPL reports: symmetric noise
// (a label becomes a uniformly chosen other class) and pair-flip (class c becomes c + 1 mod K).
import { createRng, shuffleInPlace } from '../rng';
import type { ImageDataset } from './types';

/** symmetric: a flipped label goes to a uniformly chosen *other* class; pairflip: class c goes to (c + 1) mod K. */
export type NoiseKind = 'symmetric' | 'pairflip';

export const NOISE_KINDS: readonly NoiseKind[] = ['symmetric', 'pairflip'];

export interface LabelNoiseOptions {
  /** Fraction of labels to flip, in [0, 1]. */
  rate: number;
  kind: NoiseKind;
  seed: number;
}

/** A noisy copy of a dataset and an account of what changed. */
export interface LabelNoiseResult {
  /** Same images (shared, not copied), new labels array; classNames copied. */
  dataset: ImageDataset;
  /** Number of labels that now differ from the original: exactly round(rate · count). */
  flipped: number;
  /** Flips counted by each image's *original* (clean) class; sums to `flipped`. */
  flippedPerClass: number[];
  /** Indices (ascending) of the images whose label was changed. */
  flippedIndices: Int32Array;
}

/**
 * Flip training labels, deterministically from `seed`. The rate is realised exactly: all indices are put in
 * a seeded Fisher–Yates order and the first round(rate · count) are flipped, each to a class different from
 * its original one (symmetric: uniform over the K − 1 others; pairflip: (c + 1) mod K), so every chosen label
 * really changes. Test labels are never touched (call this on the training split only). The input is not modified.
 * @throws RangeError when rate is outside [0, 1] or not a number, or when rate > 0 with fewer than 2 classes.
 */
export function applyLabelNoise(dataset: ImageDataset, options: LabelNoiseOptions): LabelNoiseResult {
  const { rate, kind } = options;
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`label-noise rate must be in 0..1, got ${rate}`);
  const numClasses = dataset.classNames.length;
  const flips = Math.round(rate * dataset.count);
  if (flips > 0 && numClasses < 2) throw new RangeError('label noise needs at least 2 classes');
  const rng = createRng(options.seed);
  const order = shuffleInPlace(Int32Array.from({ length: dataset.count }, (_, i) => i), rng.fork('noise:pick'));
  const chosen = order.slice(0, flips).sort();
  const targetRng = rng.fork('noise:target');
  const labels = Int32Array.from(dataset.labels);
  const flippedPerClass = new Array<number>(numClasses).fill(0);
  for (const index of chosen) {
    const original = labels[index];
    // Drawing from 1..K-1 and adding it mod K gives every other class with equal probability.
    labels[index] = kind === 'pairflip' ? (original + 1) % numClasses : (original + 1 + targetRng.int(numClasses - 1)) % numClasses;
    flippedPerClass[original]++;
  }
  return {
    dataset: { images: dataset.images, labels, classNames: [...dataset.classNames], count: dataset.count },
    flipped: flips,
    flippedPerClass,
    flippedIndices: chosen,
  };
}
