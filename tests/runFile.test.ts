// The .oplrun file: a real trainer's state and history survive the round trip bit for bit (and resume), every
// truncation, a flipped bit, a wrong magic or version and an oversized file are one-line RunFileErrors, and
// documents that are well formed but inconsistent (lengths vs dim, classes, run counts, steps) are refused.
import { describe, expect, it } from 'vitest';
import { createTrainer, DEFAULT_TRAIN_CONFIG, pairedRuns } from '../src/core';
import { packContainer } from '../src/core/io/container';
import { decodeRunFile, encodeRunFile, RUN_FILE_MAGIC, RunFileError, type SavedRun } from '../src/core/io/runFile';
import { setupBackend } from '../src/cli/setupBackend';
import { makeSmallSavedRun } from './helpers/savedRuns';
import { makeSyntheticSplit } from './helpers/synthetic';

function reasonOf(action: () => unknown): string {
  try {
    action();
  } catch (err) {
    expect(err).toBeInstanceOf(RunFileError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  throw new Error('no error was thrown');
}

/** Encode a document as-is (bypassing the SavedRun type) so the checks of decodeRunFile see it. */
const encodeRaw = (doc: unknown) => packContainer(RUN_FILE_MAGIC, 1, doc);

describe('run file round trip', () => {
  it('keeps a small hand-made run exactly, NaN and Infinity included', () => {
    const run = makeSmallSavedRun();
    const decoded = decodeRunFile(encodeRunFile(run));
    expect(decoded).toEqual(run);
    expect(decoded.embedding!.features[1]).toBeInstanceOf(Float32Array);
    expect(decoded.embedding!.labels).toBeInstanceOf(Int32Array);
    expect(decoded.history.progress[1].metrics[0].total).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(decoded.history.evaluations[0].reports[0].perClassAccuracy[1])).toBe(true);
  });

  it('keeps a real trainer state bit for bit, and the decoded state resumes identically', async () => {
    await setupBackend('wasm');
    const data = makeSyntheticSplit(32, 12, 3);
    const config = { ...DEFAULT_TRAIN_CONFIG, width: 2, batchSize: 8, epochs: 3, logEvery: 3, runs: pairedRuns({ gamma: 2 }) };
    const trainer = createTrainer(config, data);
    for (let i = 0; i < 5; i++) await trainer.step();
    const state = await trainer.captureState();
    const embedding = { step: 5, ...(await trainer.embed(7)) };
    const run: SavedRun = { ...makeSmallSavedRun(), config, classNames: ['x', 'y', 'z'], totalSteps: trainer.totalSteps,
      data: { dataset: 'synthetic', trainCount: 32, testCount: 12 }, history: { progress: [], evaluations: [], lossChanges: [] }, state, embedding };
    const bytes = encodeRunFile(run);
    const decoded = decodeRunFile(bytes);
    expect(decoded).toEqual(run);
    const expected = [];
    for (let i = 0; i < 4; i++) expected.push(await trainer.step());
    trainer.dispose();
    const resumed = createTrainer(config, data, { resumeFrom: decoded.state! });
    for (let i = 0; i < 4; i++) expect(await resumed.step()).toEqual(expected[i]);
    resumed.dispose();
  });
});

describe('damaged run files', () => {
  const bytes = encodeRunFile(makeSmallSavedRun());

  it('refuses every truncation of a small valid file', () => {
    expect(bytes.length).toBeLessThan(4000);
    for (let n = 0; n < bytes.length; n++) reasonOf(() => decodeRunFile(bytes.subarray(0, n)));
    expect(reasonOf(() => decodeRunFile(bytes.subarray(0, bytes.length - 10)))).toMatch(/truncated/);
  });

  it('refuses extra bytes, a flipped bit, a wrong magic, a newer version and an oversized file', () => {
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expect(reasonOf(() => decodeRunFile(longer))).toMatch(/1 unexpected bytes after its end/);
    for (const at of [40, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const flipped = bytes.slice();
      flipped[at] ^= 0x10;
      expect(reasonOf(() => decodeRunFile(flipped))).toMatch(/checksum mismatch/);
    }
    const png = bytes.slice();
    png[1] = 0x50;
    expect(reasonOf(() => decodeRunFile(png))).toMatch(/^not an OPL Lab run file/);
    const newer = bytes.slice();
    newer[8] = 2;
    expect(reasonOf(() => decodeRunFile(newer))).toMatch(/format version 2; this version reads version 1/);
    expect(reasonOf(() => decodeRunFile(bytes, { maxBytes: 100 }))).toMatch(/more than the 100 allowed/);
  });
});

describe('inconsistent run documents', () => {
  const cases: [string, (r: SavedRun) => void, RegExp][] = [
    ['a wrong format name', (r) => ((r as { format: string }).format = 'other'), /^run file: format must be 'opl-lab-run'$/],
    ['features that do not match count × dim', (r) => (r.embedding!.dim = 3), /embedding\.features\[0\] must hold 12 values \(holds 8\)/],
    ['a label outside the classes', (r) => (r.embedding!.labels[2] = 3), /embedding\.labels\[2\] must be a class in 0\.\.2/],
    ['an index twice', (r) => (r.embedding!.indices[1] = 0), /embedding\.indices\[1\] must be a distinct test image/],
    ['an index past the test set', (r) => (r.embedding!.indices[3] = 6), /embedding\.indices\[3\]/],
    ['one run of features for two runs', (r) => r.embedding!.features.pop(), /embedding\.features must have 2 entries \(has 1\)/],
    ['metrics for one run only', (r) => r.history.progress[0].metrics.pop(), /history\.progress\[0\]\.metrics must have 2 entries/],
    ['steps going backwards', (r) => (r.history.progress[1].step = 4), /history\.progress\[1\]\.step must be a whole number in 5\.\.8/],
    ['a step past the total', (r) => (r.totalSteps = 7), /history\.progress\[1\]\.step must be a whole number in 5\.\.7/],
    ['a confusion matrix of the wrong size', (r) => r.history.evaluations[0].reports[1].confusion.pop(), /reports\[1\]\.confusion must have 3 entries/],
    ['a metric as text', (r) => ((r.history.progress[0].metrics[1] as unknown as Record<string, unknown>).s = '0.5'), /metrics\[1\]\.s must be a number/],
    ['a bad loss', (r) => ((r.config.runs[1].loss as unknown as Record<string, unknown>).kind = 'mse'), /config\.runs\[1\]\.loss must be a loss/],
    ['a fractional batch size', (r) => (r.config.batchSize = 4.5), /config\.batchSize must be a whole number/],
    ['no settings', (r) => ((r as unknown as Record<string, unknown>).settings = [1]), /settings must be an object/],
    ['an unreadable time', (r) => (r.savedAt = 'yesterday'), /savedAt must be an ISO time/],
    ['a missing state field', (r) => delete (r as Partial<SavedRun>).state, /state must be an object/],
  ];
  it.each(cases)('refuses %s', (_, change, pattern) => {
    const run = makeSmallSavedRun();
    change(run);
    expect(reasonOf(() => decodeRunFile(encodeRaw(run)))).toMatch(pattern);
  });

  it('refuses a state whose tensors do not match their shapes, or that is past the last step', () => {
    const withState = (state: unknown) => ({ ...makeSmallSavedRun(), state });
    const good = { version: 1, step: 8, runs: pairedRuns(), weights: [{}, {}], momentum: [{}, {}], sampler: {}, augment: {} };
    expect(decodeRunFile(encodeRaw(withState(good))).state).toEqual(good);
    const badShape = { ...good, weights: [{ w: { shape: [2, 3], values: new Float32Array(5) } }, {}] };
    expect(reasonOf(() => decodeRunFile(encodeRaw(withState(badShape))))).toMatch(/state\.weights\[0\]\["w"\]\.values must hold 6 values \(holds 5\)/);
    expect(reasonOf(() => decodeRunFile(encodeRaw(withState({ ...good, step: 9 }))))).toMatch(/state\.step must be a whole number in 0\.\.8/);
    expect(decodeRunFile(encodeRaw(withState({ ...good, step: 5 }))).state!.step).toBe(5); // a last good checkpoint behind its history
    expect(reasonOf(() => decodeRunFile(encodeRaw(withState({ ...good, runs: [good.runs[0]] }))))).toMatch(/state\.runs must have 2 entries/);
  });
});
