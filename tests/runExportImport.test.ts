// The worker's run-file round trip on a real trainer (wasm, real CIFAR-10): a session exported as .oplrun
// decodes to its settings, history and embedding, resumes to the same next steps as the session itself, shows
// as the same messages; bad settings records and oversized files are refused with one line; exports leak no tensors.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect } from 'vitest';
import { loadDataDir } from '../src/cli/loadDataDir';
import { setupBackend } from '../src/cli/setupBackend';
import { selectSubset } from '../src/core/data/subset';
import type { DatasetSplit } from '../src/core/data/types';
import { decodeRunFile, RunFileError, type SavedRun } from '../src/core/io/runFile';
import { createTrainer } from '../src/core/trainer';
import { SETTINGS_ADDED_LATER, type LabSettings } from '../src/worker/protocol';
import { exportSession } from '../src/worker/runExport';
import { createHistory, recordInHistory } from '../src/worker/runHistory';
import { describeSavedRun, findConfigDifference, readRunBlob, readRunSettings } from '../src/worker/runImport';
import type { Session } from '../src/worker/session';
import { toTrainConfig } from '../src/worker/trainConfig';
import { errorMessage } from './helpers/errors';
import { requireSharedData } from './helpers/sharedData';

const cifar10 = requireSharedData('cifar10');

const SETTINGS: LabSettings = {
  dataset: 'cifar10', classes: 3, trainPerClass: 16, testPerClass: 8, model: 'resnet8', width: 4, batchSize: 8, lr: 0.05,
  epochs: 2, seed: 3, mode: 'compare', gamma: 2, lambda: 1, absNegative: false, backend: 'wasm', logEvery: 2, embedCount: 12,
  ...SETTINGS_ADDED_LATER,
};

let split: DatasetSplit;
let session: Session;

/** A worker session driven the way the worker drives it: steps, history, an embedding at the epoch's end. */
async function trainSession(steps: number): Promise<Session> {
  const trainer = createTrainer(toTrainConfig(SETTINGS, 'wasm'), split);
  const history = createHistory();
  const s = {
    settings: SETTINGS,
    trainer,
    history,
    embedding: null,
    runName: '',
    dataMessage: { type: 'data', classNames: split.train.classNames, trainCount: split.train.count, testCount: split.test.count, stepsPerEpoch: trainer.stepsPerEpoch, totalSteps: trainer.totalSteps, runNames: ['CE', 'CE + OPL'], allClassNames: split.train.classNames, availablePerClass: { train: 16, test: 8 } },
  } as unknown as Session;
  for (let i = 0; i < steps; i++) {
    const report = await trainer.step();
    if (report.metrics) recordInHistory(history, { type: 'progress', step: report.step, epoch: report.epoch, lr: report.lr, metrics: report.metrics, stepsPerSecond: 0 });
    if (report.epochEnd) {
      recordInHistory(history, { type: 'evaluation', step: report.step, epoch: report.epoch, reports: await trainer.evaluate('test'), trainAccuracy: [0.5, 0.5] });
      const e = await trainer.embed(SETTINGS.embedCount);
      s.embedding = { step: report.step, ...e };
    }
  }
  return s;
}

async function exportRun(s: Session): Promise<{ bytes: Uint8Array; run: SavedRun }> {
  const [file] = await exportSession(s, 'run', 0);
  return { bytes: file.bytes, run: decodeRunFile(file.bytes) };
}

beforeAll(async () => {
  if (!cifar10.available) return;
  await setupBackend('wasm');
  const full = await loadDataDir(cifar10.dir, { dataset: 'cifar10' });
  split = { train: selectSubset(full.train, { classes: 3, perClass: 16, seed: 3 }), test: selectSubset(full.test, { classes: 3, perClass: 8, seed: 3 }) };
  session = await trainSession(8); // an epoch (6 steps) and two more: mid-epoch, after an embedding
});

cifar10.it('exports a session that decodes to its settings, history and embedding', async () => {
  const { run } = await exportRun(session);
  expect(readRunSettings(run)).toEqual(SETTINGS);
  expect(run.history).toEqual(JSON.parse(JSON.stringify(session.history)));
  expect(run.state?.step).toBe(8);
  expect(run.embedding?.step).toBe(6);
  expect(Array.from(run.embedding?.features[1] ?? [])).toEqual(Array.from(session.embedding?.features[1] ?? []));
  expect(run.classNames).toEqual(['airplane', 'automobile', 'bird']);
});

cifar10.it('a trainer resumed from the exported state takes the same next steps as the session', async () => {
  const { run } = await exportRun(session);
  const resumed = createTrainer(toTrainConfig(readRunSettings(run), 'wasm'), split, { resumeFrom: run.state ?? undefined });
  const fresh = await trainSession(8);
  for (let i = 0; i < 4; i++) {
    const [a, b] = await Promise.all([fresh.trainer.step(), resumed.step()]);
    expect(b.step).toBe(a.step);
    expect(b.metrics).toEqual(a.metrics);
  }
  resumed.dispose();
  fresh.trainer.dispose();
});

cifar10.it('shows a run without its data as the messages of its data, history and embedding', async () => {
  const { run } = await exportRun(session);
  const { messages, transfer } = describeSavedRun(run, readRunSettings(run));
  expect(messages.map((m) => m.type)).toEqual(['data', 'history', 'embedding']);
  expect(messages[0]).toMatchObject({ stepsPerEpoch: 6, totalSteps: 12, runNames: ['CE', 'CE + OPL'], trainCount: 48, testCount: 24 });
  expect(messages[1]).toMatchObject({ step: 8, epoch: 1, history: run.history });
  expect(transfer).toHaveLength(3 + 2 * 3); // two feature arrays and the labels, copies of the run's, and each run's geometry
  expect(transfer[0]).not.toBe(run.embedding?.features[0].buffer);
  const embedding = messages[2] as Extract<(typeof messages)[number], { type: 'embedding' }>;
  expect(embedding.geometry.map((g) => g.n)).toEqual(run.embedding?.features.map(() => Math.min(run.embedding!.labels.length, 400)));
});

cifar10.it('refuses a settings record that does not fit, naming the field', async () => {
  const { run } = await exportRun(session);
  const refuse = (settings: Record<string, unknown>) => errorMessage(() => readRunSettings({ ...run, settings }), RunFileError);
  const { seed: _seed, ...noSeed } = SETTINGS;
  expect(refuse(noSeed)).toMatch(/settings\.seed is missing or not a whole number/);
  expect(refuse({ ...SETTINGS, model: 'resnet999' })).toMatch(/settings\.model .*resnet8 \/ resnet14 \/ resnet20/);
  expect(refuse({ ...SETTINGS, mode: 'ce' })).toMatch(/mode ce does not match its 2 runs/);
  expect(refuse({ ...SETTINGS, classes: 5 })).toMatch(/classes 5 but 3 class names/);
  expect(refuse({ ...SETTINGS, lr: -1 })).toMatch(/lr must be a positive number/);
});

cifar10.it('refuses a file over the size cap before reading it, and reads one under it', async () => {
  const { bytes } = await exportRun(session);
  const blob = new Blob([bytes as BlobPart]);
  await expect(readRunBlob(blob, bytes.length - 1)).rejects.toThrow(/more than .* MB a run file may be/);
  expect((await readRunBlob(blob, bytes.length)).state?.step).toBe(8);
});

cifar10.it('exports of every kind leave the tensor count flat', async () => {
  await exportSession(session, 'model', 1); // first call builds tfjs layers' lazy state
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    for (const what of ['run', 'model', 'projector', 'csv'] as const) await exportSession(session, what, 1);
  }
  expect(tf.memory().numTensors).toBe(before);
});

cifar10.it('says there are no features yet before the first epoch ends', async () => {
  const early = await trainSession(2);
  await expect(exportSession(early, 'projector', 0)).rejects.toThrow(/no test features yet/);
  await expect(exportSession(early, 'model', 5)).rejects.toThrow(/no run 6/);
  early.trainer.dispose();
});

cifar10.it('tells when a run was trained with options the page does not set, and takes a CLI backend as auto', async () => {
  const { run } = await exportRun(session);
  expect(findConfigDifference(run, readRunSettings(run))).toBeNull();
  expect(findConfigDifference({ ...run, config: { ...run.config, augment: false } }, SETTINGS)).toMatch(/augment = false/);
  expect(readRunSettings({ ...run, settings: { ...SETTINGS, backend: 'cpu' } }).backend).toBe('auto');
});
