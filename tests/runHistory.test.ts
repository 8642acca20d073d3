// The history the training worker saves: appended from the messages it sends, cut back to a checkpoint's step
// on resume and rollback (nothing after that step survives), summed up for the runs list.
import { describe, expect, it } from 'vitest';
import type { EvalReport, StepMetrics } from '../src/core/trainer';
import { createHistory, readLastStep, readLatestAccuracy, recordInHistory, truncateHistory } from '../src/worker/runHistory';

const metrics = (v: number): StepMetrics => ({ total: v, ce: v, opl: v, s: v, d: v, accuracy: v });
const report = (accuracy: number) => ({ name: 'CE', accuracy }) as unknown as EvalReport;

function recordRun(steps: number, perEpoch: number) {
  const history = createHistory();
  for (let step = 1; step <= steps; step++) {
    recordInHistory(history, { type: 'progress', step, epoch: Math.floor((step - 1) / perEpoch), lr: 0.1, metrics: [metrics(step)], stepsPerSecond: 2 });
    if (step === 3) recordInHistory(history, { type: 'lossChanged', step, loss: { gamma: 2, lambda: 1, absNegative: false } });
    if (step % perEpoch === 0) recordInHistory(history, { type: 'evaluation', step, epoch: step / perEpoch - 1, reports: [report(step / 10)], trainAccuracy: [0.5] });
  }
  return history;
}

describe('run history', () => {
  it('records progress (without the speed), evaluations and loss changes in step order', () => {
    const h = recordRun(9, 4);
    expect(h.progress.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(h.progress[0]).toEqual({ step: 1, epoch: 0, lr: 0.1, metrics: [metrics(1)] });
    expect(h.evaluations.map((e) => e.step)).toEqual([4, 8]);
    expect(h.lossChanges).toEqual([{ step: 3, loss: { gamma: 2, lambda: 1, absNegative: false } }]);
    expect(readLatestAccuracy(h)).toEqual([0.8]);
    expect(readLastStep(h)).toBe(9);
  });

  it('cuts back to a checkpoint: nothing after its step, a new object, the original untouched', () => {
    const h = recordRun(9, 4);
    const cut = truncateHistory(h, 4);
    expect(cut.progress.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(cut.evaluations.map((e) => e.step)).toEqual([4]);
    expect(cut.lossChanges.map((c) => c.step)).toEqual([3]);
    expect(readLastStep(cut)).toBe(4);
    expect(h.progress).toHaveLength(9);
    expect(truncateHistory(h, 2).lossChanges).toEqual([]);
    const none = truncateHistory(h, 0);
    expect([none.progress.length, none.evaluations.length, readLatestAccuracy(none), readLastStep(none)]).toEqual([0, 0, null, 0]);
  });
});
