// FGSM and PGD on tiny models, checked independently: the perturbation stays in the ε-ball and in [0, 1], the sign
// of the step agrees with finite differences of the loss w.r.t. pixels, ε = 0 changes nothing, the attack raises
// the loss and lowers accuracy on a trained model, PGD is at least as strong as FGSM, and no tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attackModel, computePixelLosses, createTrainer, DEFAULT_TRAIN_CONFIG, extractFeatures, pairedRuns, perturbPixels, type Trainer, type TrainConfig } from '../src/core';
import { IMAGE_BYTES } from '../src/core/data/types';
import { setupBackend } from '../src/cli/setupBackend';
import { makeSyntheticSplit } from './helpers/synthetic';

const TINY: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, width: 4, batchSize: 8, epochs: 4, lr: 0.05, seed: 3, runs: pairedRuns({ gamma: 2 }) };
const data = makeSyntheticSplit(64, 40, 4);
let trained: Trainer;
let untrained: Trainer;

beforeAll(async () => {
  await setupBackend('wasm');
  untrained = createTrainer({ ...TINY, runs: [pairedRuns()[0]] }, data);
  trained = createTrainer(TINY, data);
  for (;;) if ((await trained.step()).done) break;
});

/** Test images 0..n-1 as [n, 32, 32, 3] pixels in [0, 1] and their labels. */
function batchOf(n: number): { pixels: tf.Tensor4D; labels: tf.Tensor1D } {
  const pixels = tf.tensor4d(Float32Array.from(data.test.images.subarray(0, n * IMAGE_BYTES), (v) => v / 255), [n, 32, 32, 3]);
  return { pixels, labels: tf.tensor1d(data.test.labels.subarray(0, n), 'int32') };
}

describe('perturbPixels', () => {
  it.each(['fgsm', 'pgd'] as const)('%s stays within ε in L∞ and inside [0, 1]', async (method) => {
    const { pixels, labels } = batchOf(6);
    const epsilon = 8 / 255;
    const start = tf.randomUniform(pixels.shape, -1, 1, 'float32', 7) as tf.Tensor4D;
    const adv = perturbPixels(trained.models[0], pixels, labels, trained.stats, { method, epsilon, steps: 5 }, start);
    const [x, a] = await Promise.all([pixels.data(), adv.data()]);
    let maxDelta = 0;
    let moved = 0;
    for (let i = 0; i < x.length; i++) {
      expect(a[i]).toBeGreaterThanOrEqual(0);
      expect(a[i]).toBeLessThanOrEqual(1);
      maxDelta = Math.max(maxDelta, Math.abs(a[i] - x[i]));
      if (Math.abs(a[i] - x[i]) > 1e-7) moved++;
    }
    expect(maxDelta).toBeLessThanOrEqual(epsilon + 1e-6);
    expect(maxDelta).toBeGreaterThan(epsilon / 2); // it did move
    expect(moved).toBeGreaterThan(x.length / 2);
    tf.dispose([pixels, labels, start, adv]);
  });

  it('FGSM steps each pixel along the sign of the finite-difference gradient of the loss', async () => {
    const model = untrained.models[0];
    const { pixels, labels } = batchOf(1);
    const epsilon = 1 / 255;
    const adv = perturbPixels(model, pixels, labels, untrained.stats, { method: 'fgsm', epsilon });
    const [x, a] = await Promise.all([pixels.data(), adv.data()]);
    const lossAt = async (values: Float32Array) => {
      const t = tf.tensor4d(values, [1, 32, 32, 3]);
      const l = computePixelLosses(model, t, labels, untrained.stats);
      const v = (await l.data())[0];
      tf.dispose([t, l]);
      return v;
    };
    // central differences in float32 are noisy: compare signs only where the difference is clearly non-zero
    const h = 0.02;
    let checked = 0;
    for (let p = 0; p < x.length && checked < 12; p += 97) {
      if (x[p] < h || x[p] > 1 - h) continue;
      const up = Float32Array.from(x);
      const down = Float32Array.from(x);
      up[p] += h;
      down[p] -= h;
      const fd = ((await lossAt(up)) - (await lossAt(down))) / (2 * h);
      if (Math.abs(fd) < 1e-3) continue;
      expect(Math.sign(a[p] - x[p]), `pixel ${p}: fd ${fd}`).toBe(Math.sign(fd));
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(5);
    tf.dispose([pixels, labels, adv]);
  });

  it('a small FGSM step raises the loss of an untrained (nearly linear) model', async () => {
    const { pixels, labels } = batchOf(20);
    const model = untrained.models[0];
    const adv = perturbPixels(model, pixels, labels, untrained.stats, { method: 'fgsm', epsilon: 1 / 255 });
    const [clean, attacked] = [computePixelLosses(model, pixels, labels, untrained.stats), computePixelLosses(model, adv, labels, untrained.stats)];
    const [c, a] = await Promise.all([clean.data(), attacked.data()]);
    for (let i = 0; i < c.length; i++) expect(a[i], `image ${i}`).toBeGreaterThan(c[i]);
    tf.dispose([pixels, labels, adv, clean, attacked]);
  });
});

describe('attackModel', () => {
  it('ε = 0 leaves accuracy and loss unchanged', async () => {
    for (const method of ['fgsm', 'pgd'] as const) {
      const r = await attackModel(trained.models[0], data.test, trained.stats, { method, epsilon: 0, seed: 1 });
      expect(r.count).toBe(40);
      expect(r.maxPerturbation).toBe(0);
      expect(r.adversarialAccuracy).toBe(r.cleanAccuracy);
      expect(r.adversarialLoss).toBeCloseTo(r.cleanLoss, 6);
    }
  });

  it('on a trained model raises the loss and lowers accuracy; PGD is at least as strong as FGSM', async () => {
    for (const model of trained.models) {
      const options = { epsilon: 8 / 255, seed: 2, count: 40 };
      const fgsm = await attackModel(model, data.test, trained.stats, { ...options, method: 'fgsm' });
      const pgd = await attackModel(model, data.test, trained.stats, { ...options, method: 'pgd', steps: 10 });
      expect(fgsm.cleanAccuracy).toBeGreaterThan(0.5); // chance is 0.25: the model learned something to attack
      expect(pgd.cleanAccuracy).toBe(fgsm.cleanAccuracy);
      expect(fgsm.adversarialAccuracy).toBeLessThan(fgsm.cleanAccuracy);
      expect(fgsm.adversarialLoss).toBeGreaterThan(fgsm.cleanLoss);
      expect(pgd.adversarialLoss).toBeGreaterThanOrEqual(fgsm.adversarialLoss * 0.98);
      expect(pgd.adversarialAccuracy).toBeLessThanOrEqual(fgsm.adversarialAccuracy + 0.05);
      expect(pgd.maxPerturbation).toBeLessThanOrEqual(8 / 255 + 1e-6);
    }
  });

  it('returns example images within ε of the originals, reproducibly from the seed', async () => {
    const options = { method: 'pgd' as const, epsilon: 6 / 255, seed: 4, count: 12, batchSize: 5, exampleCount: 7 };
    const progress: number[] = [];
    const a = await attackModel(trained.models[1], data.test, trained.stats, { ...options, onProgress: (done, total) => progress.push(done / total) });
    const b = await attackModel(trained.models[1], data.test, trained.stats, options);
    expect(b).toEqual(a);
    expect(progress).toEqual([5 / 12, 10 / 12, 1]);
    expect(a.count).toBe(12);
    expect(a.examples).toHaveLength(7); // spans two batches of 5
    expect(new Set(a.examples.map((e) => e.index)).size).toBe(7);
    for (const e of a.examples) {
      expect(e.label).toBe(data.test.labels[e.index]);
      const original = data.test.images.subarray(e.index * IMAGE_BYTES, (e.index + 1) * IMAGE_BYTES);
      let maxDelta = 0;
      for (let p = 0; p < IMAGE_BYTES; p++) maxDelta = Math.max(maxDelta, Math.abs(e.perturbed[p] - original[p]));
      expect(maxDelta).toBeLessThanOrEqual(6);
      expect(maxDelta).toBeGreaterThan(0);
    }
    const other = await attackModel(trained.models[1], data.test, trained.stats, { ...options, seed: 5 });
    expect(other.examples.map((e) => e.index)).not.toEqual(a.examples.map((e) => e.index));
  });

  it('leaves no tensor behind (FGSM, PGD and feature extraction)', async () => {
    const model = trained.models[0];
    await attackModel(model, data.test, trained.stats, { method: 'pgd', epsilon: 4 / 255, seed: 1, count: 10, steps: 2 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await attackModel(model, data.test, trained.stats, { method: 'fgsm', epsilon: 4 / 255, seed: i, count: 15, batchSize: 4 });
      await attackModel(model, data.test, trained.stats, { method: 'pgd', epsilon: 4 / 255, seed: i, count: 15, batchSize: 4, steps: 3 });
      await extractFeatures(model, data.test, trained.stats, { batchSize: 7 });
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('extractFeatures', () => {
  it('gives the trainer\'s own eval-mode test features, in the order asked', async () => {
    const emb = await trained.embed(25);
    for (let r = 0; r < trained.models.length; r++) {
      const f = await extractFeatures(trained.models[r], data.test, trained.stats, { indices: emb.indices, batchSize: 6 });
      expect(f.length).toBe(25 * trained.models[r].featureDim);
      for (let i = 0; i < f.length; i++) expect(f[i]).toBeCloseTo(emb.features[r][i], 5);
    }
    const progress: number[] = [];
    const all = await extractFeatures(trained.models[0], data.test, trained.stats, { batchSize: 16, onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([16, 32, 40]);
    expect(all.length).toBe(40 * trained.models[0].featureDim);
    const reversed = await extractFeatures(trained.models[0], data.test, trained.stats, { indices: Int32Array.from({ length: 40 }, (_, i) => 39 - i) });
    const dim = trained.models[0].featureDim;
    expect(Array.from(reversed.subarray(0, dim))).toEqual(Array.from(all.subarray(39 * dim, 40 * dim)));
  });
});
