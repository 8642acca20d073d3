// OPL against an independent float64 implementation written as plain loops (the reference semantics of
// ../shared/OPL.md), on random batches and every edge case, and its gradient against finite differences.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { orthogonalProjectionLoss } from '../src/core';
import { createRng } from '../src/core/rng';

interface Reference { loss: number; s: number; d: number }

/** Float64, loop-by-loop transcription of the reference loss. */
function referenceOpl(f: number[][], y: number[], gamma: number, absNegative: boolean): Reference {
  const unit = f.map((row) => {
    const norm = Math.max(Math.sqrt(row.reduce((a, v) => a + v * v, 0)), 1e-12);
    return row.map((v) => v / norm);
  });
  let posSum = 0, posCount = 0, negSum = 0, negCount = 0;
  for (let i = 0; i < f.length; i++) {
    for (let j = 0; j < f.length; j++) {
      const cos = unit[i].reduce((a, v, k) => a + v * unit[j][k], 0);
      if (y[i] === y[j] && i !== j) { posSum += cos; posCount++; }
      if (y[i] !== y[j]) { negSum += absNegative ? Math.abs(cos) : cos; negCount++; }
    }
  }
  const s = posSum / (posCount + 1e-6);
  const d = negSum / (negCount + 1e-6);
  return { loss: 1 - s + gamma * d, s, d };
}

function runOpl(f: number[][], y: number[], gamma: number, absNegative: boolean): Reference {
  return tf.tidy(() => {
    const r = orthogonalProjectionLoss(tf.tensor2d(f), tf.tensor1d(y, 'int32'), { gamma, absNegative });
    return { loss: r.loss.dataSync()[0], s: r.posMean.dataSync()[0], d: r.negMean.dataSync()[0] };
  });
}

function randomBatch(seed: number, b: number, dim: number, classes: number, signed: boolean) {
  const rng = createRng(seed);
  const f = Array.from({ length: b }, () => Array.from({ length: dim }, () => (signed ? rng.normal() : Math.abs(rng.normal()))));
  const y = Array.from({ length: b }, () => rng.int(classes));
  return { f, y };
}

// float32 cosines of unit vectors are good to ~1e-6; sums of B² of them stay well inside 2e-5.
const TOL = 2e-5;

function expectClose(got: Reference, want: Reference) {
  expect(Math.abs(got.loss - want.loss)).toBeLessThan(TOL);
  expect(Math.abs(got.s - want.s)).toBeLessThan(TOL);
  expect(Math.abs(got.d - want.d)).toBeLessThan(TOL);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('orthogonalProjectionLoss matches the float64 reference', () => {
  for (const absNegative of [false, true]) {
    it(`on 40 random batches (absNegative=${absNegative})`, () => {
      for (let t = 0; t < 40; t++) {
        const rng = createRng(100 + t);
        const b = 1 + rng.int(48);
        const dim = 1 + rng.int(70);
        const { f, y } = randomBatch(t, b, dim, 1 + rng.int(12), t % 2 === 0);
        const gamma = [0, 0.5, 1, 2, 3.7][t % 5];
        expectClose(runOpl(f, y, gamma, absNegative), referenceOpl(f, y, gamma, absNegative));
      }
    });
  }

  it('defaults to gamma 0.5 and the signed d', () => {
    const { f, y } = randomBatch(7, 16, 8, 3, true);
    const got = tf.tidy(() => {
      const r = orthogonalProjectionLoss(tf.tensor2d(f), tf.tensor1d(y, 'int32'));
      return r.loss.dataSync()[0];
    });
    expect(Math.abs(got - referenceOpl(f, y, 0.5, false).loss)).toBeLessThan(TOL);
    // signed and absolute d must differ on signed features, or the default would be untested
    expect(Math.abs(referenceOpl(f, y, 0.5, false).d - referenceOpl(f, y, 0.5, true).d)).toBeGreaterThan(1e-3);
  });

  it('a batch with no positive pair gives s = 0 and loss 1 + γ·d', () => {
    const { f } = randomBatch(3, 6, 5, 1, true);
    const y = [0, 1, 2, 3, 4, 5];
    const got = runOpl(f, y, 2, false);
    expect(got.s).toBe(0);
    expectClose(got, referenceOpl(f, y, 2, false));
    expect(Math.abs(got.loss - (1 + 2 * got.d))).toBeLessThan(1e-6);
  });

  it('a batch of one class gives d = 0', () => {
    const { f } = randomBatch(4, 9, 7, 1, false);
    const got = runOpl(f, new Array(9).fill(3), 0.5, true);
    expect(got.d).toBe(0);
    expectClose(got, referenceOpl(f, new Array(9).fill(3), 0.5, true));
  });

  it('B = 1 gives OPL = 1', () => {
    const got = runOpl([[0.3, -2, 5]], [4], 0.5, false);
    expect(got).toEqual({ loss: 1, s: 0, d: 0 });
  });

  it('a zero feature row normalises to zero: cosine 0 with everything', () => {
    const f = [[0, 0, 0], [1, 2, 3], [1, 2, 3.5], [-1, 0, 2]];
    const y = [0, 0, 1, 1];
    const got = runOpl(f, y, 0.5, false);
    expectClose(got, referenceOpl(f, y, 0.5, false));
    expect(Number.isFinite(got.loss)).toBe(true);
  });

  it('collinear same-class and orthogonal different-class features give the minimum 0', () => {
    const f = [[2, 0], [5, 0], [0, 1], [0, 3]];
    const got = runOpl(f, [0, 0, 1, 1], 0.5, false);
    expect(got.loss).toBeCloseTo(0, 5);
    expect(got.s).toBeCloseTo(1, 5);
    expect(got.d).toBeCloseTo(0, 6);
  });

  it('leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const r = orthogonalProjectionLoss(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor1d([0, 1], 'int32'));
    tf.dispose([r.loss, r.posMean, r.negMean]);
    // the two inputs above are the only survivors
    expect(tf.memory().numTensors - before).toBe(2);
  });
});

describe('gradient of OPL agrees with finite differences of the float64 reference', () => {
  const cases = [
    { name: 'signed d, mixed classes', seed: 21, b: 10, dim: 6, classes: 3, gamma: 0.5, absNegative: false },
    { name: 'absolute d, gamma 2', seed: 22, b: 12, dim: 5, classes: 4, gamma: 2, absNegative: true },
    { name: 'no positive pair', seed: 23, b: 4, dim: 3, classes: 1000, gamma: 1, absNegative: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { f, y } = randomBatch(c.seed, c.b, c.dim, c.classes, true);
      const labels = c.classes === 1000 ? y.map((_, i) => i) : y;
      const analytic = tf.tidy(() => {
        const g = tf.grad((x: tf.Tensor) => orthogonalProjectionLoss(x as tf.Tensor2D, tf.tensor1d(labels, 'int32'), c).loss);
        return g(tf.tensor2d(f)).arraySync() as number[][];
      });
      const h = 1e-6;
      let maxErr = 0;
      let maxGrad = 0;
      for (let i = 0; i < c.b; i++) {
        for (let k = 0; k < c.dim; k++) {
          const plus = f.map((r) => r.slice());
          const minus = f.map((r) => r.slice());
          plus[i][k] += h;
          minus[i][k] -= h;
          const numeric = (referenceOpl(plus, labels, c.gamma, c.absNegative).loss - referenceOpl(minus, labels, c.gamma, c.absNegative).loss) / (2 * h);
          maxErr = Math.max(maxErr, Math.abs(numeric - analytic[i][k]));
          maxGrad = Math.max(maxGrad, Math.abs(numeric));
        }
      }
      expect(maxGrad).toBeGreaterThan(1e-3); // a gradient that is all zero would pass trivially otherwise
      expect(maxErr).toBeLessThan(1e-4 * Math.max(1, maxGrad));
    });
  }

  it('the no-positive-pair batch has no gradient through s', () => {
    const f = [[1, 2], [3, -1]];
    const g = tf.tidy(() =>
      tf.grad((x: tf.Tensor) => orthogonalProjectionLoss(x as tf.Tensor2D, tf.tensor1d([0, 1], 'int32'), { gamma: 0 }).loss)(tf.tensor2d(f)).arraySync(),
    );
    expect(g).toEqual([[0, 0], [0, 0]]);
  });
});
