// Opening a .oplrun file (imported by the user, or a shipped snapshot) in the training worker: read and check it
// (the core checks the file, this host checks its own settings record), and build the messages that show a run
// whose data is not here (its panels only, no thumbnails, no training).
import { createBatchSampler } from '../core/data/batches';
import { DEFAULT_MAX_RUN_FILE_BYTES, decodeRunFile, RunFileError, type SavedRun } from '../core/io/runFile';
import { computeRunGeometries } from '../core/eval/sampleGeometry';
import { createRng } from '../core/rng';
import { SETTINGS_ADDED_LATER, type FromTrainer, type LabSettings } from './protocol';
import { buildRuns, checkSettings, toTrainConfig } from './trainConfig';

type Kind = 'int' | 'number' | 'bool' | 'string' | readonly string[];

/** Backends this page can run; a run file's other choice (the CLI's 'cpu') becomes 'auto'. */
const PAGE_BACKENDS: readonly string[] = ['auto', 'webgpu', 'webgl', 'wasm'];

/** Every LabSettings field and what it must hold; a run file's settings record is checked against this. */
const SETTING_KINDS: Record<keyof LabSettings, Kind> = {
  dataset: ['cifar10', 'cifar100'],
  classes: 'int',
  trainPerClass: 'int',
  testPerClass: 'int',
  model: ['resnet8', 'resnet14', 'resnet20'],
  width: 'int',
  batchSize: 'int',
  lr: 'number',
  epochs: 'int',
  seed: 'int',
  mode: ['compare', 'ce', 'opl'],
  gamma: 'number',
  lambda: 'number',
  absNegative: 'bool',
  backend: 'string',
  logEvery: 'int',
  embedCount: 'int',
  labelNoise: 'number',
  noiseKind: ['symmetric', 'pairflip'],
  imbalance: 'number',
  attackMethod: ['fgsm', 'pgd'],
  attackEpsilon: 'int',
  attackCount: 'int',
  fewShotWays: 'int',
  fewShotShots: 'int',
  fewShotEpisodes: 'int',
  fewShotClassifier: ['centroid', 'logistic'],
};

function fits(value: unknown, kind: Kind): boolean {
  if (kind === 'int') return typeof value === 'number' && Number.isInteger(value);
  if (kind === 'number') return typeof value === 'number' && Number.isFinite(value);
  if (kind === 'bool') return typeof value === 'boolean';
  if (kind === 'string') return typeof value === 'string';
  return typeof value === 'string' && kind.includes(value);
}

function describeKind(kind: Kind): string {
  if (kind === 'int') return 'a whole number';
  if (kind === 'number') return 'a finite number';
  if (kind === 'bool') return 'true or false';
  if (kind === 'string') return 'text';
  return kind.join(' / ');
}

/**
 * Read a run file from a Blob, refusing one over the size cap before reading it.
 * @throws RunFileError (one line) for an oversized, truncated, corrupted or foreign file.
 */
export async function readRunBlob(file: Blob, maxBytes = DEFAULT_MAX_RUN_FILE_BYTES): Promise<SavedRun> {
  if (file.size > maxBytes) throw new RunFileError(`the file is ${(file.size / 2 ** 20).toFixed(0)} MB, more than the ${maxBytes / 2 ** 20} MB a run file may be`);
  return decodeRunFile(new Uint8Array(await file.arrayBuffer()), { maxBytes });
}

/**
 * The page settings a run file carries, checked field by field and against the file's own config and classes;
 * the loss weights are those in force when it was saved.
 * @throws RunFileError naming the first field that does not fit.
 */
export function readRunSettings(run: SavedRun): LabSettings {
  const record: Record<string, unknown> = { ...run.settings };
  for (const [key, value] of Object.entries(SETTINGS_ADDED_LATER)) if (record[key] === undefined) record[key] = value;
  for (const [key, kind] of Object.entries(SETTING_KINDS)) {
    if (!fits(record[key], kind)) throw new RunFileError(`run file: settings.${key} is missing or not ${describeKind(kind)}`);
  }
  const settings = { ...(record as unknown as LabSettings) };
  if (!PAGE_BACKENDS.includes(settings.backend)) settings.backend = 'auto';
  try {
    checkSettings(settings);
  } catch (err) {
    throw new RunFileError(`run file: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (buildRuns(settings).length !== run.config.runs.length) throw new RunFileError(`run file: settings.mode ${settings.mode} does not match its ${run.config.runs.length} runs`);
  if (settings.classes !== run.classNames.length) throw new RunFileError(`run file: settings.classes ${settings.classes} but ${run.classNames.length} class names`);
  const runs = run.state?.runs ?? run.config.runs;
  const { gamma, lambda, absNegative } = runs[runs.length - 1].loss;
  return { ...settings, gamma, lambda, absNegative };
}

/**
 * Where the run's training config differs from the one the page would build from its settings (a CLI run with
 * options the page does not offer, e.g. --no-augment): one line, or null when the page would train it the same.
 */
export function findConfigDifference(run: SavedRun, settings: LabSettings): string | null {
  const ours = toTrainConfig(settings, 'wasm');
  for (const key of Object.keys(ours) as (keyof typeof ours)[]) {
    // Loss weights may change in a run; epochs bound only the end; host and device batches are the same batches.
    if (key === 'runs' || key === 'epochs' || key === 'batches') continue;
    if (JSON.stringify(ours[key]) !== JSON.stringify(run.config[key])) return `it was trained with ${key} = ${JSON.stringify(run.config[key])}, which this page does not set`;
  }
  const kinds = (runs: { name: string; loss: { kind: string } }[]) => runs.map((r) => `${r.name}:${r.loss.kind}`).join(',');
  if (kinds(ours.runs) !== kinds(run.config.runs)) return 'its runs are not the ones this page trains';
  return null;
}

/** The last step a run's history or state reaches. */
export function findLastStep(run: SavedRun): number {
  const last = <T extends { step: number }>(list: T[]) => (list.length > 0 ? list[list.length - 1].step : 0);
  const { progress, evaluations } = run.history;
  return Math.max(run.state?.step ?? 0, last(progress), last(evaluations));
}

/**
 * The messages that put a saved run's panels on the page without a trainer (its data is not here, or it has no
 * state): the data it trained on, its history, its last embedding (no images). Copies the embedding's arrays.
 */
export function describeSavedRun(run: SavedRun, settings: LabSettings): { messages: FromTrainer[]; transfer: ArrayBuffer[] } {
  const stepsPerEpoch = createBatchSampler(run.data.trainCount, run.config.batchSize, createRng(0)).stepsPerEpoch;
  const step = findLastStep(run);
  const lastProgress = run.history.progress[run.history.progress.length - 1];
  const messages: FromTrainer[] = [
    {
      type: 'data',
      classNames: [...run.classNames],
      trainCount: run.data.trainCount,
      testCount: run.data.testCount,
      stepsPerEpoch,
      totalSteps: run.totalSteps,
      runNames: run.config.runs.map((r) => r.name),
      allClassNames: [...run.classNames],
      availablePerClass: { train: settings.trainPerClass, test: settings.testPerClass },
    },
    { type: 'history', runId: null, step, epoch: Math.floor(Math.max(step - 1, 0) / stepsPerEpoch), lr: lastProgress?.lr ?? 0, history: run.history, settings },
  ];
  const transfer: ArrayBuffer[] = [];
  const e = run.embedding;
  if (e) {
    const features = e.features.map((f) => f.slice());
    const labels = e.labels.slice();
    const { geometry, transfer: geometryTransfer } = computeRunGeometries(features, labels, e.dim);
    messages.push({ type: 'embedding', step: e.step, features, labels, dim: e.dim, geometry });
    transfer.push(...features.map((f) => f.buffer as ArrayBuffer), labels.buffer as ArrayBuffer, ...geometryTransfer);
  }
  return { messages, transfer };
}
