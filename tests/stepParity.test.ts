// End to end, the wasm training kernels (SIMD convolutions, fused batch norm, copy-free Identity) against the
// cpu backend's stock kernels: the same trainer, seed and batches give the same metrics and the same weights
// after a few steps, to float32 tolerance. Also through the wasm fallbacks (OPL_WASM_SIMD off).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupBackend } from '../src/cli/setupBackend';
import { SIMD_FLAG } from '../src/core/backends/wasmSimd';
import { createTrainer, DEFAULT_TRAIN_CONFIG, pairedRuns, type StepMetrics, type TrainConfig } from '../src/core';
import { makeSyntheticSplit } from './helpers/synthetic';

const CONFIG: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, width: 4, batchSize: 8, epochs: 1, lr: 0.05, seed: 7, runs: pairedRuns({ gamma: 2 }) };
const STEPS = 3;

async function train(backend: 'cpu' | 'wasm'): Promise<{ metrics: StepMetrics[][]; weights: Float32Array[][] }> {
  await setupBackend(backend);
  const trainer = createTrainer(CONFIG, makeSyntheticSplit(32, 16, 4));
  const metrics: StepMetrics[][] = [];
  for (let i = 0; i < STEPS; i++) metrics.push((await trainer.step()).metrics!);
  const weights = await Promise.all(trainer.models.map((m) => Promise.all(m.params.map(async (p) => (await p.data()) as Float32Array))));
  trainer.dispose();
  return { metrics, weights };
}

/** max |a − b| over max |b|, per tensor. */
function worstRelative(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst / (scale || 1);
}

let reference: Awaited<ReturnType<typeof train>>;

beforeAll(async () => {
  reference = await train('cpu');
});

afterAll(async () => {
  tf.env().set(SIMD_FLAG, true);
  await setupBackend('wasm');
});

describe('a few training steps: wasm kernels vs the cpu backend', () => {
  for (const simd of [true, false]) {
    it(`agree to float32 tolerance (${simd ? 'SIMD kernels' : 'OPL_WASM_SIMD off'})`, async () => {
      tf.env().set(SIMD_FLAG, simd);
      const wasm = await train('wasm');
      tf.env().set(SIMD_FLAG, true);
      wasm.metrics.forEach((step, i) =>
        step.forEach((m, run) => {
          const ref = reference.metrics[i][run];
          for (const key of ['total', 'ce', 'opl', 's', 'd'] as const) expect(m[key], `step ${i + 1} run ${run} ${key}`).toBeCloseTo(ref[key], 4);
          expect(m.accuracy).toBe(ref.accuracy);
        }),
      );
      wasm.weights.forEach((params, run) =>
        params.forEach((w, i) => expect(worstRelative(w, reference.weights[run][i]), `run ${run} param ${i}`).toBeLessThan(1e-4)),
      );
    });
  }
});
