// The CLI's record of a run as it trains, in the run file's RunHistory shape: every metrics report, every
// evaluation with the mean batch accuracy since the previous one. A resumed run starts from the saved history.
import type { RunHistory } from '../core/io/runFile';
import type { EvalReport, StepReport } from '../core/trainer';

export interface HistoryRecorder {
  /** The history so far (live; entries are appended). */
  readonly history: RunHistory;
  /** Append a step's metrics (nothing when the step read none back). */
  addProgress(report: StepReport): void;
  /** Append an evaluation, with each run's mean training-batch accuracy since the previous evaluation. */
  addEvaluation(step: number, epoch: number, reports: EvalReport[]): void;
}

/**
 * Start recording. With `start` (a saved history), keeps only what it logged up to `startStep`, the step the
 * training resumes from (a diverged run's file may hold reports past its last good checkpoint).
 */
export function createHistoryRecorder(runCount: number, start?: RunHistory, startStep = 0): HistoryRecorder {
  const upTo = <T extends { step: number }>(list: T[]) => list.filter((e) => e.step <= startStep);
  const history: RunHistory = start
    ? { progress: upTo(start.progress), evaluations: upTo(start.evaluations), lossChanges: upTo(start.lossChanges) }
    : { progress: [], evaluations: [], lossChanges: [] };
  let sums = new Array<number>(runCount).fill(0);
  let count = 0;
  return {
    history,
    addProgress(report) {
      if (!report.metrics) return;
      history.progress.push({ step: report.step, epoch: report.epoch, lr: report.lr, metrics: report.metrics.map((m) => ({ ...m })) });
      report.metrics.forEach((m, r) => (sums[r] += m.accuracy));
      count++;
    },
    addEvaluation(step, epoch, reports) {
      history.evaluations.push({ step, epoch, reports, trainAccuracy: sums.map((s) => (count > 0 ? s / count : Number.NaN)) });
      sums = new Array<number>(runCount).fill(0);
      count = 0;
    },
  };
}
