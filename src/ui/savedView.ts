// A saved run as the page shows it: its summary, history and embedding folded into a TrainerView, so the same
// panels draw a reopened run as draw the live one. Pure.
import { computeRunGeometries } from '../core/eval/sampleGeometry';
import type { StoredRun } from '../worker/runStore';
import { INITIAL_VIEW, buildRunViews, type TrainerView } from './trainerView';

/**
 * The view of a saved run: its curves, latest evaluation and embedding (no thumbnails: pixels are not saved). The
 * embedding's sample geometry is computed here, once, when the user opens the run (not while anything trains).
 */
export function buildSavedView(run: Pick<StoredRun, 'summary' | 'history' | 'embedding'>): TrainerView {
  const { summary, history, embedding } = run;
  const last = history.progress[history.progress.length - 1];
  return {
    ...INITIAL_VIEW,
    phase: summary.finished ? 'done' : 'paused',
    data: {
      classNames: summary.classNames,
      trainCount: summary.data.trainCount,
      testCount: summary.data.testCount,
      stepsPerEpoch: summary.stepsPerEpoch,
      totalSteps: summary.totalSteps,
      runNames: summary.runNames,
      allClassNames: summary.classNames,
      availablePerClass: { train: 0, test: 0 },
    },
    step: summary.step,
    epoch: last?.epoch ?? 0,
    lr: last?.lr ?? 0,
    runs: buildRunViews(history, summary.runNames, summary.stepsPerEpoch),
    lossMarks: history.lossChanges.map((c) => ({ step: c.step, ...c.loss })),
    embedding: embedding ? { step: embedding.step, features: embedding.features, labels: embedding.labels, dim: embedding.dim, geometry: computeRunGeometries(embedding.features, embedding.labels, embedding.dim).geometry } : undefined,
  };
}
