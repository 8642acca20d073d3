// What the page knows about the training session: a pure fold of the training worker's messages. The page
// renders this and nothing else, so every number on screen is one the worker reported.
import { IMAGE_BYTES } from '../core/data/types';
import type { EvalReport, StepMetrics } from '../core/trainer';
import type { FromTrainer, Phase } from '../worker/protocol';
import type { RunHistory } from '../worker/runHistory';
import { applyProbeMessage, INITIAL_PROBES, type ProbeView } from './probeView';

/** One logged training step of one run (metrics averaged over the steps since the previous log). */
export type StepPoint = StepMetrics & { step: number };

/** One test-set evaluation of one run; `epochs` is the (fractional) number of epochs done. */
export type EpochPoint = { step: number; epochs: number; train: number; test: number };

export interface RunView {
  name: string;
  steps: StepPoint[];
  evaluations: EpochPoint[];
  /** The latest test-set evaluation. */
  report?: EvalReport;
}

export type LossWeights = Extract<FromTrainer, { type: 'lossChanged' }>['loss'];

/** A change of γ, λ or the d variant, applied from the step after `step`. */
export interface LossMark extends LossWeights {
  step: number;
}

export type DataInfo = Omit<Extract<FromTrainer, { type: 'data' }>, 'type'>;
export type BackendInfo = Omit<Extract<FromTrainer, { type: 'backend' }>, 'type'>;
export type EmbeddingView = Omit<Extract<FromTrainer, { type: 'embedding' }>, 'type'>;

export type DroppedDataInfo = Omit<Extract<FromTrainer, { type: 'filesLoaded' }>, 'type'>;

/** The latest drop of the user's own files: being read, read, or refused (the data in use then stays). */
export type FilesStatus =
  | { status: 'reading'; fraction: number; detail: string }
  | { status: 'loaded'; source: string }
  | { status: 'failed'; message: string };

/** A run file the page shows in place of a trained session (imported, or a shipped snapshot). */
export type OpenedRun = Omit<Extract<FromTrainer, { type: 'runOpened' }>, 'type'>;

export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'warning';
}

export interface TrainerView {
  phase: Phase;
  phaseDetail?: string;
  data?: DataInfo;
  backend?: BackendInfo;
  step: number;
  epoch: number;
  lr: number;
  stepsPerSecond: number;
  runs: RunView[];
  lossMarks: LossMark[];
  embedding?: EmbeddingView;
  notices: Notice[];
  error?: string;
  nextNoticeId: number;
  files?: FilesStatus;
  /** The run file shown, until the next session starts. */
  opened?: OpenedRun;
  /** Why the last run file or export failed (one line); the page shows it and keeps what it had. */
  fileProblem?: string;
  /** The user's own data sets the worker holds, by name; a later drop of the same format replaces its entry. */
  dropped?: Partial<Record<DroppedDataInfo['dataset'], DroppedDataInfo>>;
  /** The latest save of the session (the worker saves once it trains): which saved run, up to which steps. */
  saved?: Omit<Extract<FromTrainer, { type: 'saved' }>, 'type'>;
  /** The Robustness and Few-shot analyses of the current models. */
  probes: ProbeView;
}

export const INITIAL_VIEW: TrainerView = {
  phase: 'idle',
  step: 0,
  epoch: 0,
  lr: 0,
  stepsPerSecond: 0,
  runs: [],
  lossMarks: [],
  notices: [],
  nextNoticeId: 1,
  probes: INITIAL_PROBES,
};

const MAX_NOTICES = 8;

/** Add a notice (the oldest go once there are more than MAX_NOTICES). */
export function addNotice(view: TrainerView, text: string, tone: Notice['tone'] = 'info'): TrainerView {
  const notices = [...view.notices, { id: view.nextNoticeId, text, tone }].slice(-MAX_NOTICES);
  return { ...view, notices, nextNoticeId: view.nextNoticeId + 1 };
}

export function dismissNotice(view: TrainerView, id: number): TrainerView {
  return { ...view, notices: view.notices.filter((n) => n.id !== id) };
}

/** Forget the session's curves and results (on reset, and when the worker starts a new session). */
export function clearSession(view: TrainerView, runNames = view.runs.map((r) => r.name)): TrainerView {
  return {
    ...view,
    step: 0,
    epoch: 0,
    lr: 0,
    stepsPerSecond: 0,
    runs: runNames.map((name) => ({ name, steps: [], evaluations: [] })),
    lossMarks: [],
    embedding: undefined,
    error: undefined,
    opened: undefined,
    saved: undefined,
    // keep the request ids so a late answer for the old models is ignored
    probes: { attack: { id: view.probes.attack.id, running: false }, fewShot: { id: view.probes.fewShot.id, running: false } },
  };
}

/**
 * The curves of every run in a recorded history: a point per logged step, an evaluation per epoch, the latest
 * report. `stepsPerEpoch` turns steps into (fractional) epochs.
 */
export function buildRunViews(history: RunHistory, runNames: string[], stepsPerEpoch: number): RunView[] {
  const last = history.evaluations[history.evaluations.length - 1];
  return runNames.map((name, r) => ({
    name,
    steps: history.progress.filter((p) => p.metrics[r]).map((p) => ({ step: p.step, ...p.metrics[r] })),
    evaluations: history.evaluations
      .filter((e) => e.reports[r])
      .map((e) => ({ step: e.step, epochs: e.step / stepsPerEpoch, train: e.trainAccuracy[r] ?? NaN, test: e.reports[r].accuracy })),
    report: last?.reports[r],
  }));
}

/** The run list, grown to `count` runs when metrics arrive before the run names. */
function ensureRuns(runs: RunView[], count: number): RunView[] {
  if (runs.length >= count) return runs;
  return [...runs, ...Array.from({ length: count - runs.length }, (_, i) => ({ name: `Run ${runs.length + i + 1}`, steps: [], evaluations: [] }))];
}

/** Fold one message from the training worker into the view. Pure: returns a new view. */
export function applyTrainerMessage(view: TrainerView, message: FromTrainer): TrainerView {
  switch (message.type) {
    case 'phase':
      return {
        ...view,
        phase: message.phase,
        phaseDetail: message.detail,
        error: message.phase === 'failed' ? (view.error ?? message.detail) : message.phase === 'loading-data' ? undefined : view.error,
      };
    case 'data': {
      const { type: _type, ...data } = message;
      // A data message starts a session (init, reset, or a backend fallback that restarted from step 0).
      return { ...clearSession(view, data.runNames), data };
    }
    case 'backend': {
      const { type: _type, ...backend } = message;
      return { ...view, backend };
    }
    case 'progress': {
      const runs = ensureRuns(view.runs, message.metrics.length).map((run, r) =>
        message.metrics[r] ? { ...run, steps: [...run.steps, { step: message.step, ...message.metrics[r] }] } : run,
      );
      return { ...view, runs, step: message.step, epoch: message.epoch, lr: message.lr, stepsPerSecond: message.stepsPerSecond };
    }
    case 'evaluation': {
      const perEpoch = view.data?.stepsPerEpoch ?? 1;
      const runs = ensureRuns(view.runs, message.reports.length).map((run, r) => {
        const report = message.reports[r];
        if (!report) return run;
        const point = { step: message.step, epochs: message.step / perEpoch, train: message.trainAccuracy[r] ?? NaN, test: report.accuracy };
        return { ...run, report, evaluations: [...run.evaluations, point] };
      });
      return { ...view, runs };
    }
    case 'embedding': {
      const { type: _type, ...embedding } = message;
      // The worker sends the images once per session; later embeddings of the same points reuse them.
      const images = embedding.images ?? view.embedding?.images;
      return { ...view, embedding: { ...embedding, images: images?.length === embedding.labels.length * IMAGE_BYTES ? images : undefined } };
    }
    case 'lossChanged':
      return { ...view, lossMarks: [...view.lossMarks, { step: message.step, ...message.loss }] };
    case 'probeProgress':
    case 'probeError':
    case 'attackResult':
    case 'fewShotResult':
      return { ...view, probes: applyProbeMessage(view.probes, message) };
    case 'notice':
      return addNotice(view, message.message, message.tone);
    case 'history': {
      // Replaces the curves: a resumed run's past, or what is left after a rollback to a checkpoint.
      const names = view.data?.runNames ?? view.runs.map((r) => r.name);
      const embedding = view.embedding && view.embedding.step <= message.step ? view.embedding : undefined;
      return {
        ...view,
        runs: buildRunViews(message.history, names, view.data?.stepsPerEpoch ?? 1),
        lossMarks: message.history.lossChanges.map((c) => ({ step: c.step, ...c.loss })),
        embedding,
        step: message.step,
        epoch: message.epoch,
        lr: message.lr,
        stepsPerSecond: 0,
      };
    }
    case 'saved': {
      const { type: _type, ...saved } = message;
      return { ...view, saved };
    }
    case 'error':
      // Shown as the page's alert, not as a notice: one place for the one thing that went wrong.
      return { ...view, error: message.message };
    case 'filesProgress':
      return { ...view, files: { status: 'reading', fraction: message.fraction, detail: message.detail } };
    case 'filesLoaded': {
      const { type: _type, ...info } = message;
      return { ...view, files: { status: 'loaded', source: info.source }, dropped: { ...view.dropped, [info.dataset]: info } };
    }
    case 'runOpened': {
      const { type: _type, ...opened } = message;
      return { ...view, opened, fileProblem: undefined };
    }
    case 'openRunFailed':
      return { ...view, fileProblem: `Could not open ${message.source}: ${message.message}` };
    case 'exported':
      return { ...view, fileProblem: undefined };
    case 'exportFailed':
      return { ...view, fileProblem: `Could not export: ${message.message}` };
    case 'filesFailed':
      return { ...view, files: { status: 'failed', message: message.message } };
  }
}

/** The loss weights in force now: the latest change, else those the session started with. */
export function currentLoss(view: TrainerView, initial: LossWeights): LossWeights {
  const last = view.lossMarks[view.lossMarks.length - 1];
  return last ? { gamma: last.gamma, lambda: last.lambda, absNegative: last.absNegative } : initial;
}
