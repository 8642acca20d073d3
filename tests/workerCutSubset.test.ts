// The worker's subset for a session: the long tail and the label noise from the settings reach the training
// split only, with the counts the page shows; the test split stays balanced with its true labels.
import { describe, expect, it } from 'vitest';
import { countPerClass } from '../src/core/data/cifarBinary';
import { selectSubset } from '../src/core/data/subset';
import { defaultSettings } from '../src/ui/settings';
import { cutSubset, type LoadedDataset } from '../src/worker/loadData';
import type { LabSettings } from '../src/worker/protocol';
import { makeSyntheticSplit } from './helpers/synthetic';

const full = makeSyntheticSplit(5 * 40, 5 * 10, 5, 4);
const data: LoadedDataset = {
  manifest: { dataset: 'cifar10', classNames: full.train.classNames, train: { count: 200, perClass: 40 }, test: { count: 50, perClass: 10 } },
  split: full,
};

describe('cutSubset with a long tail and label noise', () => {
  const settings: LabSettings = { ...defaultSettings(), classes: 4, trainPerClass: 30, testPerClass: 10, imbalance: 3, labelNoise: 0.5, noiseKind: 'pairflip', seed: 5 };

  it('shifts the training split only and reports what it did', () => {
    const { split, shift } = cutSubset(data, settings);
    expect(shift.classCounts).toEqual([30, 21, 14, 10]); // 30·3^(−c/3)
    expect(split.train.count).toBe(75);
    expect(shift.flipped).toBe(38); // round(0.5 · 75)
    expect(shift.flippedPerClass.reduce((a, b) => a + b, 0)).toBe(38);
    // The noisy labels no longer match the clean counts; the test split is balanced and equals the clean cut.
    expect(Array.from(countPerClass(split.train.labels, 4))).not.toEqual(shift.classCounts);
    expect(Array.from(countPerClass(split.test.labels, 4))).toEqual([10, 10, 10, 10]);
    const cleanTest = selectSubset(full.test, { classes: 4, perClass: 10, seed: 5 });
    expect(Array.from(split.test.labels)).toEqual(Array.from(cleanTest.labels));
  });

  it('leaves the training split as it was with the defaults (no tail, no noise)', () => {
    const { split, shift } = cutSubset(data, { ...settings, imbalance: 1, labelNoise: 0 });
    expect(shift).toEqual({ classCounts: [30, 30, 30, 30], flipped: 0, flippedPerClass: [0, 0, 0, 0] });
    expect(Array.from(split.train.labels)).toEqual(Array.from(selectSubset(full.train, { classes: 4, perClass: 30, seed: 5 }).labels));
  });
});
