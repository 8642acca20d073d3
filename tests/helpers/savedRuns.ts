// Small, valid SavedRun documents for the run-file tests: a hand-made one (2 runs, 3 classes, a 4-image
// embedding of dim 2, no state) small enough to truncate at every length, and a fuzzer's random byte source.
import { DEFAULT_TRAIN_CONFIG, pairedRuns } from '../../src/core';
import type { SavedRun } from '../../src/core/io/runFile';
import type { Rng } from '../../src/core/rng';

const evalReport = (name: string, accuracy: number) => ({
  name,
  loss: { kind: 'opl' as const, gamma: 2, lambda: 1, absNegative: false },
  accuracy,
  perClassAccuracy: [0.5, Number.NaN, 1],
  confusion: [[1, 1, 0], [0, 0, 0], [0, 0, 2]],
  classMeanCos: [[1, 0.2, 0.1], [0.2, 1, 0.3], [0.1, 0.3, 1]],
  classMeanOffDiagCos: 0.2,
  meanSameClassCos: 0.8,
  meanDiffClassCos: 0.4,
});

/** A valid run of 2 runs × 3 classes, 8 steps, with history, no trainer state and a 4-image embedding. */
export function makeSmallSavedRun(): SavedRun {
  const runs = pairedRuns({ gamma: 2 });
  const metrics = (x: number) => runs.map(() => ({ total: x, ce: x, opl: 1, s: 0.5, d: 0.25, accuracy: 0.5 }));
  return {
    format: 'opl-lab-run',
    version: 1,
    name: 'tiny',
    savedAt: '2026-12-04T17:00:00.000Z',
    settings: { mode: 'compare', gamma: 2 },
    config: { ...DEFAULT_TRAIN_CONFIG, width: 2, batchSize: 4, epochs: 2, runs },
    classNames: ['a', 'b', 'c'],
    data: { dataset: 'cifar10', trainCount: 16, testCount: 6 },
    totalSteps: 8,
    history: {
      progress: [
        { step: 4, epoch: 0, lr: 0.1, metrics: metrics(1.5) },
        { step: 8, epoch: 1, lr: 0.02, metrics: metrics(Number.POSITIVE_INFINITY) },
      ],
      evaluations: [{ step: 4, epoch: 0, reports: runs.map((r, i) => evalReport(r.name, 0.5 + i / 10)), trainAccuracy: [0.4, 0.45] }],
      lossChanges: [{ step: 2, loss: { gamma: 3, lambda: 1, absNegative: true } }],
    },
    state: null,
    embedding: {
      step: 8,
      features: runs.map((_, r) => Float32Array.from({ length: 8 }, (_, i) => i * 0.25 - r)),
      labels: Int32Array.from([0, 1, 2, 2]),
      indices: Int32Array.from([0, 2, 3, 5]),
      dim: 2,
    },
  };
}

/** `length` random bytes from a seeded generator. */
export function makeRandomBytes(rng: Rng, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.int(256);
  return out;
}
