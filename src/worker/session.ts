// One training session of the worker: its data, backend and trainer, and the bookkeeping behind the messages
// it sends (steps per second, the epoch's running train accuracy, which test images the page already has).
// Builds messages; the worker posts them.
import { createBatchSampler, gatherImages } from '../core/data/batches';
import type { TrainingShiftReport } from '../core/data/trainingShift';
import type { DatasetSplit } from '../core/data/types';
import { createRng } from '../core/rng';
import { computeRunGeometries } from '../core/eval/sampleGeometry';
import { createTrainer, type Embedding, type StepReport, type Trainer } from '../core/trainer';
import type { TrainerState } from '../core/trainerState';
import type { ActiveBackend } from './backends';
import type { LoadedDataset } from './loadData';
import type { BackendMeasurement, BackendName, FromTrainer, LabSettings } from './protocol';
import { createHistory, truncateHistory, type RunHistory } from './runHistory';
import type { StoredEmbedding } from './runStore';
import { buildRuns, PROBE_STEPS, toProbeConfig, toTrainConfig } from './trainConfig';

export type DataMessage = Extract<FromTrainer, { type: 'data' }>;
export type ProgressMessage = Extract<FromTrainer, { type: 'progress' }>;
export type EmbeddingMessage = Extract<FromTrainer, { type: 'embedding' }>;

export interface Session {
  settings: LabSettings;
  split: DatasetSplit;
  /** Sent when the session opens, and again whenever training restarts from step 0. */
  dataMessage: DataMessage;
  backend: ActiveBackend;
  /** Owned by the session: dispose it before replacing it. */
  trainer: Trainer;
  /** Steps done by the current trainer. */
  step: number;
  done: boolean;
  /** Last step whose metrics were folded into the per-run accuracy sums of the current epoch. */
  lastMetricStep: number;
  accuracySums: number[];
  accuracySteps: number;
  /** Start of the window the next stepsPerSecond is measured over. */
  windowStep: number;
  windowTime: number;
  /** Test-subset indices of the images last sent with an embedding of the current trainer (none yet: null). */
  sentImages: Int32Array | null;
  /** Saved-run id: null until the session trains its first step (a session nobody trains is not saved). */
  runId: string | null;
  runName: string;
  /** ISO time the run was first saved. */
  createdAt: string;
  /** Every metric reported so far (up to the current step), for saving and for rollbacks. */
  history: RunHistory;
  /** The last good state (held here as well as saved): what a rollback or a backend fallback resumes from. Null: step 0. */
  checkpoint: { step: number; state: TrainerState } | null;
  /** Step of the checkpoint last written to the run store (null: none yet). */
  savedCheckpointStep: number | null;
  /** The latest test embedding, saved with the next checkpoint. */
  embedding: StoredEmbedding | null;
}

/** The `data` message of a session: what it trains on, how long it runs, and what else the data set offers. */
export function describeData(settings: LabSettings, split: DatasetSplit, data: LoadedDataset, shift: TrainingShiftReport): DataMessage {
  const stepsPerEpoch = createBatchSampler(split.train.count, settings.batchSize, createRng(0)).stepsPerEpoch;
  return {
    type: 'data',
    classNames: split.train.classNames,
    trainCount: split.train.count,
    testCount: split.test.count,
    stepsPerEpoch,
    totalSteps: stepsPerEpoch * settings.epochs,
    runNames: buildRuns(settings).map((r) => r.name),
    allClassNames: [...data.manifest.classNames],
    availablePerClass: { train: data.manifest.train.perClass, test: data.manifest.test.perClass },
    shift,
  };
}

export function describeBackend(active: ActiveBackend, reason: string, measurements?: BackendMeasurement[]): FromTrainer {
  return { type: 'backend', backend: active.name, adapter: active.adapter?.label, adapterInfo: active.adapter, software: active.software, reason, measurements };
}

/** Where a new session starts: a saved run's identity, history and checkpoint (absent: a fresh run at step 0). */
export interface SessionOrigin {
  runId: string | null;
  runName: string;
  createdAt: string;
  history: RunHistory;
  checkpoint: Session['checkpoint'];
  savedCheckpointStep: number | null;
  embedding: StoredEmbedding | null;
}

/**
 * A session with a new trainer on the active backend: at step 0 (same seed: same init, same batches), or, with
 * an origin that has a checkpoint, exactly where that checkpoint left off, its history cut back to that step.
 * @throws TrainerStateError when the checkpoint does not fit the settings' model and data.
 */
export function openTrainer(s: Pick<Session, 'settings' | 'split' | 'dataMessage' | 'backend'>, origin?: SessionOrigin): Session {
  const checkpoint = origin?.checkpoint ?? null;
  const trainer = createTrainer(toTrainConfig(s.settings, s.backend.name), s.split, checkpoint ? { resumeFrom: checkpoint.state } : undefined);
  const runs = trainer.config.runs.length;
  const step = checkpoint?.step ?? 0;
  return {
    ...s,
    trainer,
    step,
    done: step >= trainer.totalSteps,
    lastMetricStep: step,
    accuracySums: new Array<number>(runs).fill(0),
    accuracySteps: 0,
    windowStep: step,
    windowTime: performance.now(),
    sentImages: null,
    runId: origin?.runId ?? null,
    runName: origin?.runName ?? '',
    createdAt: origin?.createdAt ?? '',
    history: origin ? truncateHistory(origin.history, step) : createHistory(),
    checkpoint,
    savedCheckpointStep: origin?.savedCheckpointStep ?? null,
    embedding: origin?.embedding && origin.embedding.step <= step ? origin.embedding : null,
  };
}

/** What a session carries over when its trainer is rebuilt from its last checkpoint (a rollback, a fallback). */
export function describeOrigin(s: Session): SessionOrigin {
  const { runId, runName, createdAt, history, checkpoint, savedCheckpointStep, embedding } = s;
  return { runId, runName, createdAt, history, checkpoint, savedCheckpointStep, embedding };
}

/** The `history` message that replaces the page's curves with the session's (after a resume or a rollback). */
export function describeHistory(s: Session): Extract<FromTrainer, { type: 'history' }> {
  const last = s.history.progress[s.history.progress.length - 1];
  const epoch = Math.floor(Math.max(s.step - 1, 0) / s.trainer.stepsPerEpoch);
  return { type: 'history', runId: s.runId, step: s.step, epoch, lr: last?.lr ?? 0, history: s.history };
}

/** A name for a new saved run: what it compares, the loss weights and the seed. */
export function nameRun(settings: LabSettings, runNames: string[]): string {
  const loss = settings.mode === 'ce' ? '' : ` · γ ${settings.gamma}, λ ${settings.lambda}`;
  return `${runNames.join(' vs ')}${loss} · ${settings.classes} classes · seed ${settings.seed}`;
}

/**
 * The `embedding` message of an embedding, transferring its buffers. Carries the embedded test images only
 * when they differ from those last sent for this trainer (the first time, in practice: the embedded sample
 * is the same every epoch), so the page always holds the pixels of exactly the points it shows.
 */
export function describeEmbedding(s: Session, step: number, e: Embedding): { message: EmbeddingMessage; transfer: ArrayBuffer[] } {
  const { geometry, transfer: geometryTransfer } = computeRunGeometries(e.features, e.labels, e.dim);
  const transfer = [...e.features.map((f) => f.buffer), e.labels.buffer, ...geometryTransfer] as ArrayBuffer[];
  const message: EmbeddingMessage = { type: 'embedding', step, features: e.features, labels: e.labels, dim: e.dim, geometry };
  if (!sameIndices(s.sentImages, e.indices)) {
    message.images = gatherImages(s.split.test, e.indices);
    transfer.push(message.images.buffer as ArrayBuffer);
    s.sentImages = e.indices;
  }
  return { message, transfer };
}

function sameIndices(a: Int32Array | null, b: Int32Array): boolean {
  return a !== null && a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Start the steps-per-second window now (after a pause, an evaluation, or before a single step). */
export function restartRateWindow(s: Session): void {
  s.windowStep = s.step;
  s.windowTime = performance.now();
}

/** Fold a step into the session; returns its progress message when the step read metrics back. */
export function recordStep(s: Session, report: StepReport): ProgressMessage | null {
  s.step = report.step;
  s.done = report.done;
  if (!report.metrics) return null;
  const steps = report.step - s.lastMetricStep;
  s.lastMetricStep = report.step;
  report.metrics.forEach((m, r) => (s.accuracySums[r] += m.accuracy * steps));
  s.accuracySteps += steps;
  const now = performance.now();
  const stepsPerSecond = (report.step - s.windowStep) / Math.max((now - s.windowTime) / 1000, 1e-6);
  s.windowStep = report.step;
  s.windowTime = now;
  return { type: 'progress', step: report.step, epoch: report.epoch, lr: report.lr, metrics: report.metrics, stepsPerSecond };
}

/** The epoch's running train accuracy per run (mean over its steps); starts the next epoch's sums. */
export function takeTrainAccuracy(s: Session): number[] {
  const accuracy = s.accuracySums.map((sum) => sum / Math.max(s.accuracySteps, 1));
  s.accuracySums = s.accuracySums.map(() => 0);
  s.accuracySteps = 0;
  return accuracy;
}

/** Mean ms per step of the probe model on the active backend `backend`: one untimed warm-up step, then PROBE_STEPS. */
export async function measureStepTime(settings: LabSettings, split: DatasetSplit, backend: BackendName): Promise<number> {
  const probe = createTrainer(toProbeConfig(settings, backend), split);
  try {
    await probe.step();
    const start = performance.now();
    for (let i = 0; i < PROBE_STEPS; i++) await probe.step();
    return (performance.now() - start) / PROBE_STEPS;
  } finally {
    probe.dispose();
  }
}
