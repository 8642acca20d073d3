// The worker's session rebuilt from a checkpoint (a resume, a rollback after NaN, a backend fallback): it stands
// at the checkpoint's step with the history cut there, trains on exactly as the original did, and rebuilding it
// over and over leaves no tensor behind.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupBackend } from '../src/cli/setupBackend';
import type { ActiveBackend } from '../src/worker/backends';
import { SETTINGS_ADDED_LATER, type LabSettings } from '../src/worker/protocol';
import { recordInHistory } from '../src/worker/runHistory';
import { describeData, describeHistory, describeOrigin, openTrainer, recordStep, type Session } from '../src/worker/session';
import { makeSyntheticSplit } from './helpers/synthetic';

const SETTINGS: LabSettings = {
  dataset: 'cifar10', classes: 2, trainPerClass: 16, testPerClass: 8, model: 'resnet8', width: 4, batchSize: 8, lr: 0.05, epochs: 3,
  seed: 2, mode: 'compare', gamma: 2, lambda: 1, absNegative: false, backend: 'wasm', logEvery: 1, embedCount: 0, ...SETTINGS_ADDED_LATER,
};
const split = makeSyntheticSplit(32, 16, 2);
const backend: ActiveBackend = { name: 'wasm', software: false };

function openSession(): Session {
  const manifest = { dataset: 'cifar10', classNames: split.train.classNames, train: { count: 32, perClass: 16 }, test: { count: 16, perClass: 8 } };
  const shift = { classCounts: [16, 16], flipped: 0, flippedPerClass: [0, 0] };
  const dataMessage = describeData(SETTINGS, split, { manifest, split } as never, shift);
  return openTrainer({ settings: SETTINGS, split, dataMessage, backend });
}

/** Step the session as the worker does, recording what it reports. */
async function advance(s: Session, steps: number) {
  const out = [];
  for (let i = 0; i < steps; i++) {
    const report = await s.trainer.step();
    const progress = recordStep(s, report);
    if (progress) recordInHistory(s.history, progress);
    out.push(report.metrics);
  }
  return out;
}

beforeAll(async () => {
  await setupBackend('wasm');
});

describe('a session rebuilt from its checkpoint', () => {
  it('stands at the checkpoint, with the history cut there, and trains on exactly like the original', async () => {
    const s = openSession();
    await advance(s, 4);
    s.checkpoint = { step: 4, state: await s.trainer.captureState() };
    const original = await advance(s, 3);
    expect(s.history.progress.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    s.trainer.dispose();
    Object.assign(s, openTrainer(s, describeOrigin(s)));
    expect(s.step).toBe(4);
    expect(s.done).toBe(false);
    expect(s.history.progress.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(describeHistory(s)).toMatchObject({ type: 'history', step: 4, epoch: 0, lr: s.history.progress[3].lr });
    expect(await advance(s, 3)).toEqual(original);
    s.trainer.dispose();
  });

  it('without a checkpoint goes back to step 0 and the initial weights', async () => {
    const s = openSession();
    const first = await advance(s, 2);
    s.trainer.dispose();
    Object.assign(s, openTrainer(s, describeOrigin(s)));
    expect([s.step, s.history.progress.length]).toEqual([0, 0]);
    expect(await advance(s, 2)).toEqual(first);
    s.trainer.dispose();
  });

  it('leaves no tensor behind when rebuilt again and again', async () => {
    const s = openSession();
    await advance(s, 4);
    s.checkpoint = { step: 4, state: await s.trainer.captureState() };
    s.trainer.dispose();
    Object.assign(s, openTrainer(s, describeOrigin(s)));
    await advance(s, 1);
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      s.trainer.dispose();
      Object.assign(s, openTrainer(s, describeOrigin(s)));
      await advance(s, 1);
    }
    expect(tf.memory().numTensors).toBe(tensors);
    s.trainer.dispose();
  });
});
