// Exact resume on real CIFAR-10 images: train k steps, capture, train m more == a new trainer resumed from the
// capture trained m steps (bitwise, on wasm), mid-epoch, mid-logging-interval and after setLoss; states that do
// not fit are refused with TrainerStateError; nothing leaks; a huge learning rate is reported as nonFinite.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect } from 'vitest';
import { createTrainer, DEFAULT_TRAIN_CONFIG, pairedRuns, TrainerStateError, type StepReport, type Trainer, type TrainConfig } from '../src/core';
import { selectSubset } from '../src/core/data/subset';
import type { DatasetSplit } from '../src/core/data/types';
import { loadDataDir } from '../src/cli/loadDataDir';
import { setupBackend } from '../src/cli/setupBackend';
import { requireSharedData } from './helpers/sharedData';

const cifar10 = requireSharedData('cifar10');

// 3 classes x 16 images, batch 8: 6 steps per epoch; metrics every 4 steps, so captures fall mid-interval.
const CONFIG: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, width: 4, batchSize: 8, epochs: 4, lr: 0.05, seed: 4, logEvery: 4, runs: pairedRuns({ gamma: 2 }) };

let data: DatasetSplit;

beforeAll(async () => {
  if (!cifar10.available) return;
  await setupBackend('wasm');
  const full = await loadDataDir(cifar10.dir, { dataset: 'cifar10' });
  data = {
    train: selectSubset(full.train, { classes: 3, perClass: 16, seed: 1 }),
    test: selectSubset(full.test, { classes: 3, perClass: 10, seed: 2 }),
  };
});

async function trainSteps(trainer: Trainer, count: number): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  for (let i = 0; i < count; i++) reports.push(await trainer.step());
  return reports;
}

async function readAll(trainer: Trainer): Promise<Float32Array[][]> {
  return Promise.all(trainer.models.map((m) => Promise.all([...m.params, ...m.buffers].map(async (v) => (await v.data()) as Float32Array))));
}

cifar10.describe('exact resume (wasm, real CIFAR-10)', () => {
  for (const k of [0, 7, 12]) {
    cifar10.it(`train ${k}, capture, train 9 == resume from the capture and train 9 (after setLoss)`, async () => {
      const original = createTrainer(CONFIG, data);
      await trainSteps(original, Math.min(k, 3));
      original.setLoss(1, { gamma: 3, lambda: 0.5 });
      await trainSteps(original, k - Math.min(k, 3));
      const state = await original.captureState();
      expect(state.step).toBe(k);
      expect(state.runs[1].loss).toEqual({ kind: 'opl', gamma: 3, lambda: 0.5, absNegative: false });
      const continued = await trainSteps(original, 9);
      const continuedWeights = await readAll(original);
      const continuedEval = await original.evaluate();
      original.dispose();

      const resumed = createTrainer(CONFIG, data, { resumeFrom: state });
      const after = await trainSteps(resumed, 9);
      expect(after).toEqual(continued);
      expect(after.some((r) => r.metrics !== null)).toBe(true);
      expect(await readAll(resumed)).toEqual(continuedWeights);
      expect(await resumed.evaluate()).toEqual(continuedEval);
      resumed.dispose();
    });
  }

  cifar10.it('capturing changes nothing: the same run with and without captures gives the same reports', async () => {
    const plain = createTrainer(CONFIG, data);
    const expected = await trainSteps(plain, 10);
    plain.dispose();
    const captured = createTrainer(CONFIG, data);
    const reports: StepReport[] = [];
    for (let i = 0; i < 10; i++) {
      reports.push(await captured.step());
      await captured.captureState();
    }
    expect(reports).toEqual(expected);
    captured.dispose();
  });

  cifar10.it('captures with one readback for all runs and variables', async () => {
    const trainer = createTrainer(CONFIG, data);
    await trainSteps(trainer, 3); // a pending metric sum is part of the capture too
    const engine = tf.engine() as unknown as { read: (...a: unknown[]) => Promise<unknown>; readSync: (...a: unknown[]) => unknown };
    const [read, readSync] = [engine.read.bind(engine), engine.readSync.bind(engine)];
    let reads = 0;
    engine.read = (...a) => (reads++, read(...a));
    engine.readSync = (...a) => (reads++, readSync(...a));
    try {
      const state = await trainer.captureState();
      expect(state.pending!.steps).toBe(3);
    } finally {
      engine.read = read;
      engine.readSync = readSync;
    }
    expect(reads).toBe(1);
    trainer.dispose();
  });

  cifar10.it('a resumed run can be given more epochs and finishes at the new total', async () => {
    const short = createTrainer({ ...CONFIG, epochs: 1 }, data);
    for (;;) if ((await short.step()).done) break;
    const state = await short.captureState();
    short.dispose();
    const longer = createTrainer({ ...CONFIG, epochs: 2 }, data, { resumeFrom: state });
    const reports = await trainSteps(longer, 6);
    expect(reports.map((r) => r.step)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(reports[5].done).toBe(true);
    longer.dispose();
  });

  cifar10.it('refuses states that do not fit, with one line, and leaves no tensor behind', async () => {
    const trainer = createTrainer(CONFIG, data);
    await trainSteps(trainer, 2);
    const state = await trainer.captureState();
    trainer.dispose();
    const before = tf.memory().numTensors;
    const refuse = (config: TrainConfig, d: DatasetSplit, s = state): string => {
      try {
        createTrainer(config, d, { resumeFrom: s }).dispose();
      } catch (err) {
        expect(err).toBeInstanceOf(TrainerStateError);
        const message = (err as Error).message;
        expect(message).not.toContain('\n');
        return message;
      }
      throw new Error('the state was accepted');
    };
    expect(refuse({ ...CONFIG, runs: [CONFIG.runs[0]] }, data)).toMatch(/it has 2 runs, this run has 1/);
    expect(refuse({ ...CONFIG, width: 8 }, data)).toMatch(/"stem\.conv" of run 0 has shape \[3,3,3,4\], the model has \[3,3,3,8\]/);
    expect(refuse({ ...CONFIG, model: 'resnet14' }, data)).toMatch(/run 0 has 47 weights tensors, the model has 77/);
    const smaller = { ...data, train: selectSubset(data.train, { perClass: 8, seed: 1 }) };
    expect(refuse(CONFIG, smaller)).toMatch(/batch order was saved for another set or batch size/);
    expect(refuse({ ...CONFIG, batchSize: 4 }, data)).toMatch(/batch order/);
    const renamed = { ...state, weights: state.weights.map((w) => Object.fromEntries(Object.entries(w).map(([k, v]) => [k.replace('fc.bias', 'fc.b'), v]))) };
    expect(refuse(CONFIG, data, renamed)).toMatch(/no weights tensor "fc\.bias"/);
    const short = { ...state, momentum: state.momentum.map((m) => ({ ...m, 'fc.bias': { shape: m['fc.bias'].shape, values: new Float32Array(1) } })) };
    expect(refuse(CONFIG, data, short)).toMatch(/momentum tensor "fc\.bias" of run 0 has the wrong number of values/);
    expect(refuse({ ...CONFIG, epochs: 1 }, data, { ...state, step: 7 })).toMatch(/at step 7, past the 6 steps configured/);
    expect(refuse(CONFIG, data, { ...state, augment: { rng: 'x' } })).toMatch(/augmentation state/);
    expect(tf.memory().numTensors).toBe(before);
  });

  cifar10.it('keeps the tensor count flat across captures and resumes', async () => {
    const before = tf.memory().numTensors;
    let trainer = createTrainer(CONFIG, data);
    await trainSteps(trainer, 1);
    const afterFirst = tf.memory().numTensors;
    for (let i = 0; i < 6; i++) {
      await trainSteps(trainer, 1); // leaves a pending metric sum on odd counts
      const state = await trainer.captureState();
      trainer.dispose();
      trainer = createTrainer(CONFIG, data, { resumeFrom: state });
      expect(tf.memory().numTensors).toBeLessThanOrEqual(afterFirst);
    }
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  cifar10.it('reports the run a huge learning rate makes diverge as nonFinite, and no run when training is sane', async () => {
    const sane = createTrainer({ ...CONFIG, logEvery: 1 }, data);
    for (const r of await trainSteps(sane, 4)) expect(r.nonFinite).toEqual([]);
    sane.dispose();
    // lr 1e6 without warm-up: the CE run alone, and the pair; the first report after divergence names the runs.
    for (const runs of [[CONFIG.runs[0]], CONFIG.runs]) {
      const trainer = createTrainer({ ...CONFIG, runs, lr: 1e6, warmupEpochs: 0, logEvery: 1 }, data);
      let report: StepReport | undefined;
      for (let i = 0; i < 12 && !report?.nonFinite.length; i++) report = await trainer.step();
      expect(report!.nonFinite.length).toBeGreaterThan(0);
      for (const r of report!.nonFinite) expect(Object.values(report!.metrics![r]).every(Number.isFinite)).toBe(false);
      report!.metrics!.forEach((m, r) => report!.nonFinite.includes(r) || expect(Object.values(m).every(Number.isFinite)).toBe(true));
      trainer.dispose();
    }
  });
});
