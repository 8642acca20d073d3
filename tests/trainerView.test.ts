// The page's view of a session is a pure fold of the worker's messages: sessions start on `data`, curves
// grow on `progress`, evaluations and loss changes are recorded, errors and notices are kept, embedded images
// are kept for the session.
import { describe, expect, it } from 'vitest';
import { IMAGE_BYTES } from '../src/core/data/types';
import type { EvalReport, StepMetrics } from '../src/core/trainer';
import { INITIAL_VIEW, applyTrainerMessage, clearSession, currentLoss, dismissNotice, type TrainerView } from '../src/ui/trainerView';
import type { FromTrainer } from '../src/worker/protocol';

const metrics = (v: number): StepMetrics => ({ total: v, ce: v, opl: v, s: v, d: v, accuracy: v });
const report = (name: string, accuracy: number): EvalReport => ({
  name,
  loss: { kind: 'ce', gamma: 2, lambda: 1, absNegative: false },
  accuracy,
  perClassAccuracy: [accuracy],
  confusion: [[1]],
  classMeanCos: [[1]],
  classMeanOffDiagCos: NaN,
  meanSameClassCos: 0.8,
  meanDiffClassCos: 0.5,
});
const data: FromTrainer = {
  type: 'data', classNames: ['a', 'b'], trainCount: 32, testCount: 16, stepsPerEpoch: 4, totalSteps: 8,
  runNames: ['CE', 'CE + OPL'], allClassNames: ['a', 'b'], availablePerClass: { train: 10, test: 5 },
  shift: { classCounts: [16, 16], flipped: 0, flippedPerClass: [0, 0] },
};
const fold = (messages: FromTrainer[], from: TrainerView = INITIAL_VIEW) => messages.reduce(applyTrainerMessage, from);

describe('applyTrainerMessage', () => {
  it('starts a session on data and grows one curve per run on progress', () => {
    const v = fold([
      data,
      { type: 'progress', step: 1, epoch: 0, lr: 0.1, metrics: [metrics(1), metrics(2)], stepsPerSecond: 3 },
      { type: 'progress', step: 2, epoch: 0, lr: 0.1, metrics: [metrics(3), metrics(4)], stepsPerSecond: 3 },
    ]);
    expect(v.runs.map((r) => r.name)).toEqual(['CE', 'CE + OPL']);
    expect(v.runs[1].steps.map((p) => [p.step, p.total])).toEqual([[1, 2], [2, 4]]);
    expect([v.step, v.lr, v.stepsPerSecond]).toEqual([2, 0.1, 3]);
  });

  it('records evaluations against (fractional) epochs and keeps the latest report', () => {
    const v = fold([data, { type: 'evaluation', step: 4, epoch: 0, reports: [report('CE', 0.5), report('CE + OPL', 0.4)], trainAccuracy: [0.6, 0.55] }]);
    expect(v.runs[0].evaluations).toEqual([{ step: 4, epochs: 1, train: 0.6, test: 0.5 }]);
    expect(v.runs[1].report?.accuracy).toBe(0.4);
  });

  it('a second data message (reset or backend fallback) clears the curves but keeps the backend', () => {
    const v = fold([
      data,
      { type: 'backend', backend: 'wasm', reason: 'asked', software: false },
      { type: 'progress', step: 1, epoch: 0, lr: 0.1, metrics: [metrics(1), metrics(2)], stepsPerSecond: 3 },
      { type: 'lossChanged', step: 1, loss: { gamma: 0.5, lambda: 1, absNegative: false } },
      data,
    ]);
    expect(v.runs[0].steps).toEqual([]);
    expect(v.lossMarks).toEqual([]);
    expect(v.backend?.backend).toBe('wasm');
  });

  it('tracks loss changes and the weights in force', () => {
    const start = { gamma: 2, lambda: 1, absNegative: false };
    expect(currentLoss(INITIAL_VIEW, start)).toEqual(start);
    const v = fold([data, { type: 'lossChanged', step: 7, loss: { gamma: 0.5, lambda: 2, absNegative: true } }]);
    expect(v.lossMarks).toEqual([{ step: 7, gamma: 0.5, lambda: 2, absNegative: true }]);
    expect(currentLoss(v, start)).toEqual({ gamma: 0.5, lambda: 2, absNegative: true });
  });

  it('keeps notices (dismissable) and errors; a failed phase keeps its detail as the error', () => {
    let v = fold([{ type: 'notice', message: 'hello' }, { type: 'notice', message: 'again' }]);
    expect(v.notices.map((n) => n.text)).toEqual(['hello', 'again']);
    v = dismissNotice(v, v.notices[0].id);
    expect(v.notices.map((n) => n.text)).toEqual(['again']);
    expect(fold([{ type: 'error', message: 'boom' }]).error).toBe('boom');
    expect(fold([{ type: 'phase', phase: 'failed', detail: 'no backend' }]).error).toBe('no backend');
  });

  it('creates runs on demand when metrics arrive before the run names', () => {
    const v = fold([{ type: 'progress', step: 1, epoch: 0, lr: 0.1, metrics: [metrics(1)], stepsPerSecond: 1 }]);
    expect(v.runs).toHaveLength(1);
    expect(clearSession(v).runs[0].steps).toEqual([]);
  });

  it("keeps the session's embedded images across later embeddings, and drops them with the session", () => {
    const embedding = (step: number, images?: Uint8Array): FromTrainer => ({
      type: 'embedding', step, features: [new Float32Array(4), new Float32Array(4)], labels: Int32Array.from([0, 1]), dim: 2, geometry: [], images,
    });
    const pixels = new Uint8Array(2 * IMAGE_BYTES).fill(7);
    const first = fold([data, embedding(4, pixels)]);
    expect(first.embedding?.images).toBe(pixels);
    const later = fold([embedding(8)], first);
    expect(later.embedding?.step).toBe(8);
    expect(later.embedding?.images).toBe(pixels);
    // A new session (reset, or a fallback that restarted) has no images until the worker sends its own.
    expect(fold([data, embedding(4)], later).embedding?.images).toBeUndefined();
    // Images that do not match the points are not used.
    expect(fold([data, embedding(4, new Uint8Array(IMAGE_BYTES))]).embedding?.images).toBeUndefined();
  });
});

describe('history messages (resume and rollback)', () => {
  const progress = (step: number): FromTrainer => ({ type: 'progress', step, epoch: Math.floor((step - 1) / 4), lr: 0.1, metrics: [metrics(step), metrics(-step)], stepsPerSecond: 3 });
  it('replace the curves, the loss marks and the step with the history, and drop an embedding from after it', () => {
    const live = fold([
      data,
      ...[1, 2, 3, 4, 5, 6].map(progress),
      { type: 'evaluation', step: 4, epoch: 0, reports: [report('CE', 0.4), report('CE + OPL', 0.5)], trainAccuracy: [0.3, 0.35] },
      { type: 'lossChanged', step: 5, loss: { gamma: 3, lambda: 1, absNegative: false } },
      { type: 'embedding', step: 4, features: [new Float32Array(2), new Float32Array(2)], labels: new Int32Array(1), dim: 2, geometry: [] },
    ]);
    const history = {
      progress: [1, 2, 3, 4].map((step) => ({ step, epoch: 0, lr: 0.05, metrics: [metrics(step), metrics(-step)] })),
      evaluations: [{ step: 4, epoch: 0, reports: [report('CE', 0.4), report('CE + OPL', 0.5)], trainAccuracy: [0.3, 0.35] }],
      lossChanges: [],
    };
    const back = fold([{ type: 'history', runId: 'run-1', step: 4, epoch: 0, lr: 0.05, history }], live);
    expect(back.runs.map((r) => r.steps.map((p) => p.step))).toEqual([[1, 2, 3, 4], [1, 2, 3, 4]]);
    expect(back.runs[1].steps[3].total).toBe(-4);
    expect(back.runs[1].evaluations).toEqual([{ step: 4, epochs: 1, train: 0.35, test: 0.5 }]);
    expect(back.runs[0].report?.accuracy).toBe(0.4);
    expect([back.step, back.epoch, back.lr, back.stepsPerSecond]).toEqual([4, 0, 0.05, 0]);
    expect(back.lossMarks).toEqual([]);
    expect(back.embedding?.step).toBe(4);
    const earlier = fold([{ type: 'history', runId: 'run-1', step: 0, epoch: 0, lr: 0, history: { progress: [], evaluations: [], lossChanges: [] } }], live);
    expect(earlier.embedding).toBeUndefined();
    expect(earlier.runs.map((r) => r.steps.length)).toEqual([0, 0]);
  });

  it('keep the latest save and show warnings as warnings', () => {
    const v = fold([data, { type: 'saved', runId: 'run-1', step: 6, checkpointStep: 4 }, { type: 'notice', message: 'Storage is full', tone: 'warning' }]);
    expect(v.saved).toEqual({ runId: 'run-1', step: 6, checkpointStep: 4 });
    expect(v.notices.map((n) => n.tone)).toEqual(['warning']);
  });
});
