// Long-tailed training subsets for the class-imbalance experiment: class c keeps
// n_c = n_max · ρ^(−c/(K−1)) images (the exponential profile of the long-tail literature), seeded.
import { createRng, shuffleInPlace } from '../rng';
import { gatherImages } from './subset';
import type { ImageDataset } from './types';

export interface LongTailOptions {
  /** ρ = largest / smallest class count, ≥ 1 (1 keeps the set balanced at n_max per class). */
  ratio: number;
  seed: number;
}

export interface LongTailResult {
  dataset: ImageDataset;
  /** Images kept per class (index = label). */
  classCounts: number[];
}

/**
 * The per-class counts of the exponential long-tail profile: n_c = max(1, round(nMax · ratio^(−c/(K−1)))),
 * so class 0 keeps nMax and class K−1 keeps nMax / ratio (rounded). A single class keeps nMax.
 * @throws RangeError when ratio < 1 or nMax < 1.
 */
export function computeLongTailCounts(nMax: number, numClasses: number, ratio: number): number[] {
  if (!(ratio >= 1) || !Number.isFinite(ratio)) throw new RangeError(`imbalance ratio must be a number ≥ 1, got ${ratio}`);
  if (!(nMax >= 1)) throw new RangeError(`a long-tail subset needs at least 1 image in the largest class, got ${nMax}`);
  return Array.from({ length: numClasses }, (_, c) =>
    numClasses < 2 ? nMax : Math.max(1, Math.round(nMax * ratio ** (-c / (numClasses - 1)))),
  );
}

/**
 * Cut a long-tailed subset: n_max is the size of the smallest class in the input (so every class can supply
 * its share; on a balanced set that is the per-class count), class c (by label order) keeps n_c images per
 * computeLongTailCounts, chosen by a seeded shuffle within the class, and the result is put in a seeded order.
 * The input is not modified; images are copied.
 * @throws RangeError on a bad ratio or when some class has no image.
 */
export function selectLongTail(dataset: ImageDataset, options: LongTailOptions): LongTailResult {
  const numClasses = dataset.classNames.length;
  const groups: number[][] = Array.from({ length: numClasses }, () => []);
  dataset.labels.forEach((label, i) => groups[label]?.push(i));
  const nMax = Math.min(...groups.map((g) => g.length));
  if (nMax < 1) throw new RangeError('a long-tail subset needs at least one image of every class');
  const classCounts = computeLongTailCounts(nMax, numClasses, options.ratio);
  const rng = createRng(options.seed);
  const picked = groups.flatMap((members, c) => shuffleInPlace([...members], rng.fork(`tail:${c}`)).slice(0, classCounts[c]));
  shuffleInPlace(picked, rng.fork('tail:order'));
  return { dataset: gatherImages(dataset, picked), classCounts };
}
