// The metric history of one training session as the worker records it for saving: progress, evaluations and
// loss changes in step order. Pure functions: append as messages go out, cut back to a checkpoint's step, sum up.
import type { RunHistory } from '../core/io/runFile';
import type { FromTrainer } from './protocol';

export type { RunHistory };

type Progress = Extract<FromTrainer, { type: 'progress' }>;
type Evaluation = Extract<FromTrainer, { type: 'evaluation' }>;
type LossChange = Extract<FromTrainer, { type: 'lossChanged' }>;

/** A history with nothing in it yet. */
export function createHistory(): RunHistory {
  return { progress: [], evaluations: [], lossChanges: [] };
}

/** Append what a progress, evaluation or lossChanged message carries (other messages are ignored). Mutates `history`. */
export function recordInHistory(history: RunHistory, message: Progress | Evaluation | LossChange): void {
  if (message.type === 'progress') {
    history.progress.push({ step: message.step, epoch: message.epoch, lr: message.lr, metrics: message.metrics });
  } else if (message.type === 'evaluation') {
    history.evaluations.push({ step: message.step, epoch: message.epoch, reports: message.reports, trainAccuracy: message.trainAccuracy });
  } else {
    history.lossChanges.push({ step: message.step, loss: { ...message.loss } });
  }
}

/**
 * The history up to and including `step` (a new object; `history` is left as it is): what a run resumed from a
 * checkpoint at `step` has behind it, so its curves stay consistent with its weights.
 */
export function truncateHistory(history: RunHistory, step: number): RunHistory {
  return {
    progress: history.progress.filter((p) => p.step <= step),
    evaluations: history.evaluations.filter((e) => e.step <= step),
    lossChanges: history.lossChanges.filter((c) => c.step <= step),
  };
}

/** Test accuracy of each run at the latest evaluation, or null before the first. */
export function readLatestAccuracy(history: RunHistory): number[] | null {
  const last = history.evaluations[history.evaluations.length - 1];
  return last ? last.reports.map((r) => r.accuracy) : null;
}

/** The last step the history records anything for (0 when empty). */
export function readLastStep(history: RunHistory): number {
  const last = (list: { step: number }[]) => (list.length > 0 ? list[list.length - 1].step : 0);
  return Math.max(last(history.progress), last(history.evaluations), last(history.lossChanges));
}
