// The training-set shifts of the robustness experiments, applied in one place for the CLI and the worker:
// first a long tail (class imbalance), then label noise, both on the training split only and seeded.
import { selectLongTail } from './imbalance';
import { applyLabelNoise, type NoiseKind } from './labelNoise';
import type { ImageDataset } from './types';

export interface TrainingShift {
  /** Largest/smallest class count of the long tail; 1 keeps the set as it is. */
  imbalance: number;
  /** Fraction of training labels flipped, 0..1. */
  labelNoise: number;
  noiseKind: NoiseKind;
}

/** What a shift did, for the summary, the JSON report and the page. */
export interface TrainingShiftReport {
  /** Training images per class after the long tail (clean labels). */
  classCounts: number[];
  /** Labels changed by the noise: exactly round(labelNoise · count). */
  flipped: number;
  /** Flips by clean class. */
  flippedPerClass: number[];
}

/**
 * Apply a long tail (seeded with seed + 2) and then label noise (seed + 3) to a training set; the offsets keep
 * these draws apart from the subset's own (seed, and seed + 1 for the test subset in the CLI). Never call it on
 * a test set: test labels stay clean. The input is not modified.
 * @throws RangeError on a ratio < 1 or a noise rate outside 0..1 (one-line messages).
 */
export function applyTrainingShift(train: ImageDataset, shift: TrainingShift, seed: number): { dataset: ImageDataset; report: TrainingShiftReport } {
  const tailed = shift.imbalance === 1 ? train : selectLongTail(train, { ratio: shift.imbalance, seed: seed + 2 }).dataset;
  const classCounts = new Array<number>(tailed.classNames.length).fill(0);
  tailed.labels.forEach((label) => classCounts[label]++);
  const noisy = applyLabelNoise(tailed, { rate: shift.labelNoise, kind: shift.noiseKind, seed: seed + 3 });
  return { dataset: noisy.dataset, report: { classCounts, flipped: noisy.flipped, flippedPerClass: noisy.flippedPerClass } };
}
