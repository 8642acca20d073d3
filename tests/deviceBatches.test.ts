// Batches gathered on the device against the host's assembleBatch (the oracle), on the cpu and wasm backends:
// the same seed gives the same augmented batches bit for bit, and a trainer on device batches gives the same
// metrics as one on host batches, keeps its tensors flat, and reads back at most once per logEvery steps.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { setupBackend } from '../src/cli/setupBackend';
import { createTrainer, DEFAULT_TRAIN_CONFIG, pairedRuns, type TrainConfig } from '../src/core';
import { assembleBatch, createBatchSampler, gatherLabels } from '../src/core/data/batches';
import { createBatchSource } from '../src/core/data/batchSource';
import { createDeviceBatches, drawAugmentation, fitsDevice, measureDeviceTable } from '../src/core/data/deviceBatches';
import { computeChannelStats } from '../src/core/data/subset';
import { createRng } from '../src/core/rng';
import { countReads } from './helpers/readbacks';
import { makeSyntheticDataset, makeSyntheticSplit } from './helpers/synthetic';

const TINY: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, width: 4, batchSize: 8, epochs: 2, lr: 0.05, seed: 3, runs: pairedRuns({ gamma: 2 }) };

afterAll(async () => {
  await setupBackend('wasm');
});

describe('drawAugmentation', () => {
  it('draws dy, dx and the flip in assembleBatch order, within the 4-pixel padding', () => {
    const draws = drawAugmentation([5, 9, 2], createRng(4));
    const rng = createRng(4);
    for (let b = 0; b < 3; b++) {
      expect(draws[b * 4]).toBe([5, 9, 2][b]);
      expect(draws[b * 4 + 1]).toBe(rng.int(9) - 4);
      expect(draws[b * 4 + 2]).toBe(rng.int(9) - 4);
      expect(draws[b * 4 + 3]).toBe(rng.next() < 0.5 ? 1 : 0);
    }
    expect(Array.from(drawAugmentation([7, 1]))).toEqual([7, 0, 0, 0, 1, 0, 0, 0]);
  });

  it('sizes the device table and refuses sets over the limit', () => {
    expect(measureDeviceTable(2)).toBe((2 * 1024 + 1) * 3 * 4);
    expect(fitsDevice(10_000)).toBe(true);
    expect(fitsDevice(50_000)).toBe(false);
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`device batches on ${backend}`, () => {
    it('equal the host batches element for element, augmented and not, with their labels', async () => {
      await setupBackend(backend);
      const ds = makeSyntheticDataset(40, 4, 8);
      const stats = computeChannelStats(ds);
      const device = createDeviceBatches(stats);
      const hostRng = createRng(11);
      const deviceRng = createRng(11);
      const sampler = createBatchSampler(ds.count, 16, createRng(2));
      for (let step = 0; step < 6; step++) {
        const indices = sampler.next();
        const expected = assembleBatch(ds, indices, stats, hostRng);
        const batch = device.gather(ds, indices, deviceRng);
        expect(batch.images.shape).toEqual([16, 32, 32, 3]);
        expect(batch.labels.dtype).toBe('int32');
        const [images, labels] = await Promise.all([batch.images.data(), batch.labels.data()]);
        tf.dispose([batch.images, batch.labels]);
        expect(images).toEqual(expected);
        expect(Array.from(labels)).toEqual(Array.from(gatherLabels(ds, indices)));
      }
      // Both paths consumed the stream alike, so a shift, a flip and a padded border all occurred above.
      expect(deviceRng.next()).toBe(hostRng.next());
      // Evaluation batches: no augmentation, any order, repeats allowed, a partial last batch.
      const evalIndices = Int32Array.from([39, 0, 17, 17, 3]);
      const evalImages = device.gatherImages(ds, evalIndices);
      expect(await evalImages.data()).toEqual(assembleBatch(ds, evalIndices, stats));
      evalImages.dispose();
      device.dispose();
    });

    it('a trainer on device batches matches one on host batches, step for step', async () => {
      await setupBackend(backend);
      const data = makeSyntheticSplit(32, 16, 4);
      const run = async (batches: 'host' | 'device') => {
        const trainer = createTrainer({ ...TINY, batches }, data);
        const metrics = [];
        for (let i = 0; i < 2; i++) metrics.push((await trainer.step()).metrics);
        const evaluation = await trainer.evaluate();
        trainer.dispose();
        return { metrics, evaluation };
      };
      const host = await run('host');
      expect(await run('device')).toEqual(host);
    });
  });
}

describe('a trainer on device batches', () => {
  it('keeps tensors and bytes flat over 200 steps and frees its device tables on dispose', async () => {
    await setupBackend('wasm');
    const data = makeSyntheticSplit(32, 16, 4);
    const before = tf.memory().numTensors;
    const trainer = createTrainer({ ...TINY, epochs: 50, logEvery: 5, batches: 'device' }, data);
    for (let i = 0; i < 20; i++) await trainer.step();
    await trainer.evaluate(); // uploads the test table
    const start = { tensors: tf.memory().numTensors, bytes: tf.memory().numBytes };
    let report;
    do report = await trainer.step();
    while (!report.done);
    expect(report.step).toBe(200);
    expect(tf.memory().numTensors).toBe(start.tensors);
    expect(tf.memory().numBytes).toBe(start.bytes);
    await trainer.evaluate();
    await trainer.embed(10);
    expect(tf.memory().numTensors).toBe(start.tensors);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads back at most once per logEvery steps', async () => {
    await setupBackend('wasm');
    const data = makeSyntheticSplit(96, 16, 4); // 12 steps per epoch
    const logEvery = 4;
    const trainer = createTrainer({ ...TINY, epochs: 2, logEvery, batches: 'device' }, data);
    const perStep = await countReads(async (reads) => {
      const counts: number[] = [];
      for (;;) {
        const before = reads();
        const r = await trainer.step();
        counts.push(reads() - before);
        expect(reads() - before, `step ${r.step}`).toBe(r.metrics ? 1 : 0);
        if (r.done) return counts;
      }
    });
    trainer.dispose();
    expect(perStep).toHaveLength(24);
    // Every window of logEvery consecutive steps holds at most one readback.
    for (let i = 0; i + logEvery <= perStep.length; i++) expect(perStep.slice(i, i + logEvery).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
    expect(perStep.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('builds a set too large for a device table on the host, with the same batches', async () => {
    await setupBackend('cpu');
    const ds = makeSyntheticDataset(4, 2, 1);
    const stats = computeChannelStats(ds);
    // fitsDevice looks only at the count; a dataset that claims 60,000 images goes to the host path.
    const huge = { ...ds, count: 60_000 };
    const source = createBatchSource('device', stats);
    const before = tf.memory().numTensors;
    const images = source.gatherImages(huge, [1, 3], createRng(1));
    expect(await images.data()).toEqual(assembleBatch(ds, [1, 3], stats, createRng(1)));
    images.dispose();
    source.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
