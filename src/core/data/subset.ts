// Seeded, class-stratified subsets of an ImageDataset (fewer classes and/or fewer images per
// class, labels remapped to 0..k-1) and the per-channel statistics used for normalisation.

import { createRng, shuffleInPlace } from '../rng';
import { IMAGE_BYTES, IMAGE_CHANNELS, type ImageDataset } from './types';

/** How to cut a dataset down. */
export interface SubsetOptions {
  /** A number N keeps the first N classes; an array keeps those class ids, in that order (new label = position). */
  classes?: number | number[];
  /** Images kept per class, chosen by a seeded shuffle within the class; all of them when omitted. */
  perClass?: number;
  /** Seed for the within-class picks and the output order. */
  seed: number;
}

/** Per-channel mean and population standard deviation, in 0..1 units. */
export interface ChannelStats {
  mean: [number, number, number];
  std: [number, number, number];
}

/** Turn the `classes` option into a validated list of original class ids. */
function resolveClassIds(classes: number | number[] | undefined, numClasses: number): number[] {
  if (classes === undefined) return Array.from({ length: numClasses }, (_, c) => c);
  if (typeof classes === 'number') {
    if (!Number.isInteger(classes) || classes < 1 || classes > numClasses) {
      throw new RangeError(`classes must be a whole number in 1..${numClasses}, got ${classes}`);
    }
    return Array.from({ length: classes }, (_, c) => c);
  }
  if (classes.length === 0) throw new RangeError('classes must name at least one class');
  const seen = new Set<number>();
  for (const id of classes) {
    if (!Number.isInteger(id) || id < 0 || id >= numClasses) {
      throw new RangeError(`class id ${id} is outside 0..${numClasses - 1}`);
    }
    if (seen.has(id)) throw new RangeError(`class id ${id} is listed twice`);
    seen.add(id);
  }
  return [...classes];
}

/** Group image indices by label, keeping dataset order within each class. */
function groupIndicesByClass(labels: Int32Array, numClasses: number): number[][] {
  const groups: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label >= 0 && label < numClasses) groups[label].push(i);
  }
  return groups;
}

/**
 * Select a class subset and/or a stratified per-class subset, deterministically from `seed`.
 * Within each class the images are shuffled with a stream forked from the seed and the class id,
 * and the first `perClass` are kept; the result is then put in a seeded, interleaved order.
 * Labels are remapped to 0..k-1 in the order of the chosen classes, and classNames follow.
 * @throws RangeError on a bad option, or when a class has fewer images than `perClass`.
 */
export function selectSubset(dataset: ImageDataset, options: SubsetOptions): ImageDataset {
  const numClasses = dataset.classNames.length;
  const classIds = resolveClassIds(options.classes, numClasses);
  const { perClass } = options;
  if (perClass !== undefined && (!Number.isInteger(perClass) || perClass < 1)) {
    throw new RangeError(`perClass must be a whole number >= 1, got ${perClass}`);
  }
  const rng = createRng(options.seed);
  const groups = groupIndicesByClass(dataset.labels, numClasses);
  const picked: Array<{ index: number; label: number }> = [];
  classIds.forEach((classId, newLabel) => {
    const members = groups[classId];
    if (perClass !== undefined && members.length < perClass) {
      throw new RangeError(
        `class ${classId} (${dataset.classNames[classId]}) has ${members.length} images, ${perClass} per class asked`,
      );
    }
    const chosen = perClass === undefined ? members : shuffleInPlace([...members], rng.fork(`class:${classId}`)).slice(0, perClass);
    for (const index of chosen) picked.push({ index, label: newLabel });
  });
  shuffleInPlace(picked, rng.fork('order'));
  const subset = gatherImages(dataset, picked.map((p) => p.index));
  picked.forEach(({ label }, i) => {
    subset.labels[i] = label;
  });
  subset.classNames = classIds.map((c) => dataset.classNames[c]);
  return subset;
}

/**
 * Compute the per-channel (R, G, B) mean and population standard deviation of all pixels, in 0..1 units.
 * Sums are exact integers in float64 for any CIFAR-sized set, so the result does not depend on order.
 * @throws RangeError on an empty dataset.
 */
export function computeChannelStats(dataset: Pick<ImageDataset, 'images' | 'count'>): ChannelStats {
  const { images } = dataset;
  const pixels = images.length / IMAGE_CHANNELS;
  if (pixels === 0) throw new RangeError('cannot compute channel statistics of an empty dataset');
  let sumR = 0, sumG = 0, sumB = 0;
  let sqR = 0, sqG = 0, sqB = 0;
  for (let i = 0; i < images.length; i += IMAGE_CHANNELS) {
    const r = images[i];
    const g = images[i + 1];
    const b = images[i + 2];
    sumR += r;
    sumG += g;
    sumB += b;
    sqR += r * r;
    sqG += g * g;
    sqB += b * b;
  }
  const mean = [sumR / pixels, sumG / pixels, sumB / pixels];
  const std = [sqR, sqG, sqB].map((s, c) => Math.sqrt(Math.max(0, s / pixels - mean[c] * mean[c])));
  return {
    mean: [mean[0] / 255, mean[1] / 255, mean[2] / 255],
    std: [std[0] / 255, std[1] / 255, std[2] / 255],
  };
}

/**
 * Pick, deterministically and in dataset order, the first `perClass` indices of every class 0..numClasses-1.
 * Returns the picked indices in ascending order (so the original interleaving is kept) and the number
 * of images each class holds, so the caller can report a class that has fewer than asked.
 */
export function selectFirstPerClass(
  labels: ArrayLike<number>,
  numClasses: number,
  perClass: number,
): { indices: number[]; available: Int32Array; complete: boolean } {
  const taken = new Int32Array(numClasses);
  const available = new Int32Array(numClasses);
  const indices: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!(label >= 0 && label < numClasses)) continue;
    available[label]++;
    if (taken[label] < perClass) {
      taken[label]++;
      indices.push(i);
    }
  }
  return { indices, available, complete: taken.every((n) => n === perClass) };
}

/** Copy the images and labels at `indices` (in that order) into a new dataset with the same class names. */
export function gatherImages(dataset: ImageDataset, indices: readonly number[]): ImageDataset {
  const images = new Uint8Array(indices.length * IMAGE_BYTES);
  const labels = new Int32Array(indices.length);
  indices.forEach((index, i) => {
    images.set(dataset.images.subarray(index * IMAGE_BYTES, (index + 1) * IMAGE_BYTES), i * IMAGE_BYTES);
    labels[i] = dataset.labels[index];
  });
  return { images, labels, classNames: [...dataset.classNames], count: indices.length };
}
