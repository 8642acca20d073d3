// A whole run as one self-contained binary file (.oplrun): settings, config, metric history, the trainer's state
// for an exact resume and a test-feature embedding. Encoded with the checksummed container of container.ts and
// checked field by field on the way in (checkSavedRun in runFileCheck.ts), so a bad file is one clear line.
import type { TrainConfig } from '../config';
import type { DatasetSplit } from '../data/types';
import type { EvalReport, StepMetrics } from '../trainer';
import type { TrainerState } from '../trainerState';
import { ContainerError, packContainer, unpackContainer } from './container';
import { checkSavedRun } from './runFileCheck';
import { RunFileError } from './runFileError';

export { RunFileError };

/** The file name extension of run files. */
export const RUN_FILE_EXTENSION = '.oplrun';
/** The largest run file decodeRunFile reads unless told otherwise (256 MiB). */
export const DEFAULT_MAX_RUN_FILE_BYTES = 256 * 1024 * 1024;
/** "\x89OPLRUN\n": a non-ASCII first byte and a newline catch text-mode mangling, as PNG's signature does. */
export const RUN_FILE_MAGIC = new Uint8Array([0x89, 0x4f, 0x50, 0x4c, 0x52, 0x55, 0x4e, 0x0a]);
const CONTAINER_VERSION = 1;

/** Everything a run logged, in the order it happened. */
export interface RunHistory {
  /** Every metrics report: the step it came at, its epoch (0-based), the lr, one StepMetrics per run. */
  progress: { step: number; epoch: number; lr: number; metrics: StepMetrics[] }[];
  /** Every evaluation: per run the test report and the mean training accuracy since the previous one. */
  evaluations: { step: number; epoch: number; reports: EvalReport[]; trainAccuracy: number[] }[];
  /** Loss changes made during the run (setLoss), from the step they took effect after. */
  lossChanges: { step: number; loss: { gamma: number; lambda: number; absNegative: boolean } }[];
}

/** Test features of every run at one step: features[r] is [count, dim] row-major; indices point into the test subset. */
export interface SavedEmbedding {
  step: number;
  features: Float32Array[];
  labels: Int32Array;
  indices: Int32Array;
  dim: number;
}

/** A run as saved. */
export interface SavedRun {
  format: 'opl-lab-run';
  version: 1;
  name: string;
  /** ISO time. */
  savedAt: string;
  /** The host's own settings record (the page stores LabSettings); the host validates it. */
  settings: Record<string, unknown>;
  config: TrainConfig;
  classNames: string[];
  /** Which data it trained on. */
  data: { dataset: string; trainCount: number; testCount: number };
  totalSteps: number;
  /** May run past state.step: a run that diverged keeps its last good checkpoint and what it logged after it. */
  history: RunHistory;
  /** null: metrics only, cannot resume. */
  state: TrainerState | null;
  /** Test features (indices into the test subset; no pixels). */
  embedding: SavedEmbedding | null;
}

/** Encode a run as one byte array (the typed arrays of state and embedding are copied, not kept). */
export function encodeRunFile(run: SavedRun): Uint8Array {
  return packContainer(RUN_FILE_MAGIC, CONTAINER_VERSION, run);
}

/**
 * Decode and check a run file.
 * @param options.maxBytes refuse larger inputs before reading them (default DEFAULT_MAX_RUN_FILE_BYTES).
 * @throws RunFileError (one-line reason) on anything malformed, truncated, oversized or inconsistent.
 */
export function decodeRunFile(bytes: Uint8Array, options: { maxBytes?: number } = {}): SavedRun {
  let doc: unknown;
  try {
    doc = unpackContainer(bytes, RUN_FILE_MAGIC, CONTAINER_VERSION, options.maxBytes ?? DEFAULT_MAX_RUN_FILE_BYTES, 'an OPL Lab run file');
  } catch (err) {
    if (err instanceof ContainerError) throw new RunFileError(err.message);
    throw err;
  }
  return checkSavedRun(doc);
}

/**
 * How `data` differs from what the saved run trained on (other classes, or other image counts), as a phrase that
 * follows "it was" ("trained on the classes …; this data has …"); null when it is the same data.
 */
export function describeDataMismatch(run: SavedRun, data: DatasetSplit): string | null {
  const same = data.train.classNames.length === run.classNames.length && data.train.classNames.every((n, i) => n === run.classNames[i]);
  if (!same) return `trained on the classes ${run.classNames.join(', ')}; this data has ${data.train.classNames.join(', ')}`;
  if (data.train.count !== run.data.trainCount || data.test.count !== run.data.testCount) {
    return `trained on ${run.data.trainCount} train / ${run.data.testCount} test images; this data gives ${data.train.count} / ${data.test.count}`;
  }
  return null;
}
