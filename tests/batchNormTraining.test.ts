// The fused batch-norm training op (src/core/ops/batchNormTraining.ts) and its wasm kernels
// (src/core/backends/wasmBatchNorm.ts, SIMD and JS passes) against the same maths in stock ops on the cpu
// backend: values, the batch statistics, and the gradients in x, γ, β and the residual, including the
// paths through the returned mean and variance. Forward values are also checked against float64 loops.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupBackend } from '../src/cli/setupBackend';
import { SIMD_FLAG } from '../src/core/backends/wasmSimd';
import { BATCH_NORM_TRAINING, batchNormTraining, batchNormTrainingByOps, type BatchNormExtras } from '../src/core/ops/batchNormTraining';

const EPS = 1e-5;

/** Deterministic values in [offset − scale, offset + scale) (a small LCG), so a failure reproduces exactly. */
function values(size: number, seed: number, scale = 1, offset = 0): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = offset + scale * (s / 2 ** 31 - 1);
  }
  return out;
}

/** |a − b| ≤ tol · (|b| + max(max|b|, floor)), elementwise. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 2e-5, floor = 0): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  let scale = floor;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / (Math.abs(expected[i]) + scale + 1e-12);
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `${what}: worst relative error at ${at} (${actual[at]} vs ${expected[at]})`).toBeLessThan(tol);
}

interface Case {
  label: string;
  shape: number[];
  extras: { relu?: boolean; residual?: boolean };
  /** Activation offset and spread: a large offset tests the variance's cancellation. */
  offset?: number;
  spread?: number;
}

interface Outputs {
  y: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  /** d/dx, d/dγ, d/dβ (and d/dresidual) of Σ y·r1 + Σ mean·r2 + Σ variance·r3. */
  grads: Float32Array[];
}

/** The op's outputs and gradients on the active backend; `byOps` forces the stock-op path. */
function run(c: Case, byOps: boolean): Outputs {
  return tf.tidy(() => {
    const channels = c.shape[c.shape.length - 1];
    const size = c.shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(values(size, 1, c.spread ?? 1, c.offset ?? 0), c.shape);
    const gamma = tf.tensor1d(values(channels, 2, 0.5, 1));
    const beta = tf.tensor1d(values(channels, 3, 0.3));
    const residual = c.extras.residual ? tf.tensor(values(size, 4), c.shape) : undefined;
    const r1 = tf.tensor(values(size, 5), c.shape);
    const r2 = tf.tensor1d(values(channels, 6));
    const r3 = tf.tensor1d(values(channels, 7));
    const op = byOps ? batchNormTrainingByOps : batchNormTraining;
    const f = (...args: tf.Tensor[]) => {
      const extras: BatchNormExtras = { relu: c.extras.relu, residual: args[3] };
      const o = op(args[0], args[1] as tf.Tensor1D, args[2] as tf.Tensor1D, EPS, extras);
      return tf.addN([tf.sum(tf.mul(o.y, r1)), tf.sum(tf.mul(o.mean, r2)), tf.sum(tf.mul(o.variance, r3))]) as tf.Scalar;
    };
    const inputs = residual ? [x, gamma, beta, residual] : [x, gamma, beta];
    const grads = tf.grads(f)(inputs);
    const o = op(x, gamma, beta, EPS, { relu: c.extras.relu, residual });
    return {
      y: o.y.dataSync() as Float32Array,
      mean: o.mean.dataSync() as Float32Array,
      variance: o.variance.dataSync() as Float32Array,
      grads: grads.map((g) => g.dataSync() as Float32Array),
    };
  });
}

/** Forward values in float64 plain loops, straight from the definition. */
function reference(c: Case): { y: Float64Array; mean: Float64Array; variance: Float64Array } {
  const channels = c.shape[c.shape.length - 1];
  const size = c.shape.reduce((a, b) => a * b, 1);
  const x = values(size, 1, c.spread ?? 1, c.offset ?? 0);
  const gamma = values(channels, 2, 0.5, 1);
  const beta = values(channels, 3, 0.3);
  const r = c.extras.residual ? values(size, 4) : null;
  const count = size / channels;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let i = 0; i < size; i++) mean[i % channels] += x[i] / count;
  for (let i = 0; i < size; i++) variance[i % channels] += (x[i] - mean[i % channels]) ** 2 / count;
  const y = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const ch = i % channels;
    let v = (gamma[ch] * (x[i] - mean[ch])) / Math.sqrt(variance[ch] + EPS) + beta[ch] + (r ? r[i] : 0);
    if (c.extras.relu) v = Math.max(v, 0);
    y[i] = v;
  }
  return { y, mean, variance };
}

const CASES: Case[] = [
  { label: 'NHWC, 16 channels (SIMD lanes only)', shape: [4, 6, 5, 16], extras: {} },
  { label: 'NHWC, 3 channels (scalar tail only)', shape: [5, 7, 6, 3], extras: {} },
  { label: 'NHWC, 7 channels (lanes + tail), relu', shape: [3, 5, 4, 7], extras: { relu: true } },
  { label: 'NHWC, 16 channels, residual + relu', shape: [4, 6, 5, 16], extras: { relu: true, residual: true } },
  { label: 'NHWC, 6 channels, residual without relu', shape: [3, 4, 4, 6], extras: { residual: true } },
  { label: 'rank 2, 9 channels, relu', shape: [300, 9], extras: { relu: true } },
  { label: 'more than one 256-pixel block, residual + relu', shape: [2, 16, 20, 8], extras: { relu: true, residual: true } },
  { label: 'mean 1000 ≫ spread 0.5 (variance must not cancel)', shape: [4, 8, 8, 4], extras: {}, offset: 1000, spread: 0.5 },
];

beforeAll(async () => {
  await setupBackend('wasm');
});

afterAll(async () => {
  tf.env().set(SIMD_FLAG, true);
  await tf.setBackend('wasm');
});

describe('batchNormTraining', () => {
  it('uses the fused kernels on wasm and falls back to stock ops elsewhere', async () => {
    expect(tf.getKernel(BATCH_NORM_TRAINING, 'wasm')).toBeDefined();
    expect(tf.getKernel(BATCH_NORM_TRAINING, 'cpu')).toBeUndefined();
    await tf.setBackend('cpu');
    const c = CASES[3];
    const fallback = run(c, false);
    const ops = run(c, true);
    expect(fallback.y).toEqual(ops.y);
    expect(fallback.grads).toEqual(ops.grads);
    await tf.setBackend('wasm');
  });

  it('rejects mismatched γ/β and residual shapes', () => {
    tf.tidy(() => {
      const x = tf.zeros([2, 3, 3, 4]);
      expect(() => batchNormTraining(x, tf.ones([3]), tf.zeros([4]), EPS)).toThrow(/gamma and beta need 4 values/);
      expect(() => batchNormTraining(x, tf.ones([4]), tf.zeros([4]), EPS, { residual: tf.zeros([2, 3, 3, 3]) })).toThrow(/residual shape/);
    });
  });

  for (const simd of [true, false]) {
    describe(simd ? 'wasm, SIMD passes' : 'wasm, JS passes (OPL_WASM_SIMD off)', () => {
      for (const c of CASES) {
        it(`${c.label}: values and gradients match stock ops on cpu`, async () => {
          await tf.setBackend('cpu');
          const expected = run(c, true);
          await tf.setBackend('wasm');
          tf.env().set(SIMD_FLAG, simd);
          const actual = run(c, false);
          tf.env().set(SIMD_FLAG, true);
          const ref = reference(c);
          // With |μ| ≫ σ the float32 inputs themselves carry ~1e-4 of σ in error; compare at that scale there.
          const tol = c.offset ? 2e-4 : 2e-5;
          expectClose(actual.y, ref.y, 'y vs float64', tol);
          // The mean to 1e-6 of the data's own scale (it is near 0 for centred data).
          expectClose(actual.mean, ref.mean, 'mean vs float64', 1e-6, Math.abs(c.offset ?? 0) + (c.spread ?? 1));
          expectClose(actual.variance, ref.variance, 'variance vs float64', tol);
          expectClose(actual.y, expected.y, 'y', tol);
          const names = ['dx', 'dγ', 'dβ', 'dresidual'];
          actual.grads.forEach((g, i) => expectClose(g, expected.grads[i], names[i], c.offset ? 1e-3 : 1e-4));
        });
      }
    });
  }

  it('leaks no tensors or wasm buffers forward or backward', () => {
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const x = tf.tensor(values(2 * 4 * 4 * 8, 1), [2, 4, 4, 8]);
    const r = tf.tensor(values(2 * 4 * 4 * 8, 2), [2, 4, 4, 8]);
    const gamma = tf.ones([8]) as tf.Tensor1D;
    const beta = tf.zeros([8]) as tf.Tensor1D;
    const round = () =>
      tf.tidy(() => {
        const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => {
          const o = batchNormTraining(a, b as tf.Tensor1D, c as tf.Tensor1D, EPS, { relu: true, residual: d });
          return tf.addN([tf.sum(o.y), tf.sum(o.mean), tf.sum(o.variance)]);
        })([x, gamma, beta, r]);
        grads.forEach((t) => t.dataSync());
      });
    round();
    const tensors = tf.memory().numTensors;
    const ids = backend.numDataIds();
    for (let i = 0; i < 3; i++) round();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(ids);
    tf.dispose([x, r, gamma, beta]);
  });
});
