// The worker's Robustness and Few-shot probes on a real (tiny) session: both runs attacked on the same images with
// the clean pixels beside the attacked ones, progress that ends at 1, novel classes = the prepared classes the
// session did not train on, one-line errors when the request cannot be served, and no tensor left behind.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_BYTES } from '../src/core/data/types';
import { setupBackend } from '../src/cli/setupBackend';
import { defaultSettings } from '../src/ui/settings';
import { buildAttackRequest, buildFewShotRequest } from '../src/ui/probeRequests';
import type { ActiveBackend } from '../src/worker/backends';
import type { LoadedDataset } from '../src/worker/loadData';
import { runAttackProbe, runFewShotProbe, selectNovelImages } from '../src/worker/probes';
import type { LabSettings } from '../src/worker/protocol';
import { openTrainer, type DataMessage, type Session } from '../src/worker/session';
import { cutSubset } from '../src/worker/loadData';
import { makeSyntheticSplit } from './helpers/synthetic';

// A "prepared data set" of 6 classes; the session trains on the first 3.
const full = makeSyntheticSplit(6 * 40, 6 * 10, 6, 9);
const data: LoadedDataset = {
  manifest: { dataset: 'cifar10', classNames: full.train.classNames, train: { count: 240, perClass: 40 }, test: { count: 60, perClass: 10 } },
  split: full,
};
const SETTINGS: LabSettings = {
  ...defaultSettings(), classes: 3, trainPerClass: 16, testPerClass: 10, width: 4, batchSize: 8, epochs: 1, seed: 2,
  attackMethod: 'pgd', attackEpsilon: 8, attackCount: 12, fewShotWays: 3, fewShotShots: 2, fewShotEpisodes: 25,
};
let session: Session;

function openSession(settings: LabSettings): Session {
  const { split } = cutSubset(data, settings);
  return openTrainer({ settings, split, dataMessage: {} as DataMessage, backend: { name: 'wasm', software: false } as ActiveBackend });
}

beforeAll(async () => {
  await setupBackend('wasm');
  session = openSession(SETTINGS);
  for (let i = 0; i < 4; i++) session.step = (await session.trainer.step()).step;
});

describe('runAttackProbe', () => {
  it('attacks both runs on the same test images and sends each example with its clean pixels', async () => {
    const fractions: number[] = [];
    const message = await runAttackProbe(session, 7, buildAttackRequest(SETTINGS), (detail, fraction) => {
      expect(detail).toMatch(/^CE( \+ OPL)?: PGD on \d+ \/ 12 test images$/);
      fractions.push(fraction);
    });
    expect(message).toMatchObject({ type: 'attackResult', id: 7, step: 4, runNames: ['CE', 'CE + OPL'] });
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    const [ce, opl] = message.results;
    expect(ce.epsilon).toBeCloseTo(8 / 255, 12);
    expect(ce.count).toBe(12);
    expect(ce.examples.map((e) => e.index)).toEqual(opl.examples.map((e) => e.index));
    for (const e of ce.examples) {
      expect(Array.from(e.clean)).toEqual(Array.from(session.split.test.images.subarray(e.index * IMAGE_BYTES, (e.index + 1) * IMAGE_BYTES)));
      expect(e.perturbed).toHaveLength(IMAGE_BYTES);
      expect(e.label).toBe(session.split.test.labels[e.index]);
    }
  });
});

describe('selectNovelImages', () => {
  it('takes every prepared class after the trained ones, at most poolPerClass of each', () => {
    const novel = selectNovelImages(data, session, 30);
    expect(novel.classNames).toEqual(['class3', 'class4', 'class5']);
    const counts = [0, 0, 0];
    novel.labels.forEach((l) => counts[l]++);
    expect(counts).toEqual([30, 30, 30]);
    expect(selectNovelImages(data, session, 1000).count).toBe(3 * 50); // all 40 + 10 of each
  });

  it('says so in one line when the session trains on every class', () => {
    expect(() => selectNovelImages(data, { settings: { ...SETTINGS, classes: 6 } }, 30)).toThrow(
      /^few-shot needs classes the session did not train on, and it trains on all 6 classes of cifar10: choose fewer classes and train again$/,
    );
  });
});

describe('runFewShotProbe', () => {
  it('runs the same episodes on both runs\' features and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const fractions: number[] = [];
    const request = { ...buildFewShotRequest(SETTINGS), queries: 5 };
    const message = await runFewShotProbe(session, 3, data, request, (_, f) => fractions.push(f));
    expect(tf.memory().numTensors).toBe(before);
    expect(message).toMatchObject({ type: 'fewShotResult', id: 3, step: 4, runNames: ['CE', 'CE + OPL'], novelClassNames: ['class3', 'class4', 'class5'], novelCount: 150 });
    expect(fractions.at(-1)).toBeCloseTo(0.95, 6); // the last run's episodes
    for (const r of message.results) {
      expect(r).toMatchObject({ ways: 3, shots: 2, episodes: 25 });
      expect(r.accuracies).toHaveLength(25);
      expect(r.meanAccuracy).toBeGreaterThan(0);
    }
  });

  it('rejects more ways than novel classes, and more shots + queries than images, in one line', async () => {
    const request = buildFewShotRequest(SETTINGS);
    await expect(runFewShotProbe(session, 1, data, { ...request, ways: 4 }, () => {})).rejects.toThrow(
      /^4-way episodes need 4 novel classes; training on 3 of 6 classes leaves 3$/,
    );
    await expect(runFewShotProbe(session, 1, data, { ...request, shots: 10, queries: 15, poolPerClass: 20 }, () => {})).rejects.toThrow(
      /^10 shots \+ 15 queries need 25 images per novel class; 20 are used$/,
    );
  });
});
