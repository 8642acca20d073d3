// Strict checks of a decoded run file: every field's type, every array's length against the run count, the
// class count, the embedding's dim and the step counts. The first problem found becomes a one-line RunFileError.
import type { TrainConfig } from '../config';
import { isLossSpec } from '../trainerState';
import type { SavedRun } from './runFile';
import { RunFileError } from './runFileError';

const MODELS = ['resnet8', 'resnet14', 'resnet20'];
const STEP_METRICS = ['total', 'ce', 'opl', 's', 'd', 'accuracy'];
const EVAL_NUMBERS = ['accuracy', 'classMeanOffDiagCos', 'meanSameClassCos', 'meanDiffClassCos'];
const MAX_RUNS = 16;
const MAX_CLASSES = 1000;
const MAX_TEXT = 1000;

type Obj = Record<string, unknown>;

function fail(path: string, problem: string): never {
  throw new RunFileError(`run file: ${path} ${problem}`);
}

function checkObject(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) fail(path, 'must be an object');
  return value as Obj;
}

function checkArray(value: unknown, path: string, length?: number): unknown[] {
  if (!Array.isArray(value)) fail(path, 'must be a list');
  if (length !== undefined && value.length !== length) fail(path, `must have ${length} entries (has ${value.length})`);
  return value;
}

function checkInt(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(path, `must be a whole number in ${min}..${max}`);
  return value;
}

function checkFinite(value: unknown, path: string, min = -Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) fail(path, `must be a finite number${min > -Infinity ? ` ≥ ${min}` : ''}`);
  return value;
}

/** Metrics may be NaN or ±Infinity (a diverged run is saved as it was), but must be numbers. */
function checkNumber(value: unknown, path: string): number {
  if (typeof value !== 'number') fail(path, 'must be a number');
  return value;
}

function checkString(value: unknown, path: string, max = MAX_TEXT): string {
  if (typeof value !== 'string' || value.length > max) fail(path, `must be text of at most ${max} characters`);
  return value;
}

function checkBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'must be true or false');
  return value;
}

function checkNumbers(value: unknown, path: string, length: number): number[] {
  return checkArray(value, path, length).map((x, i) => checkNumber(x, `${path}[${i}]`));
}

function checkMatrix(value: unknown, path: string, size: number, entry: (x: unknown, p: string) => number): number[][] {
  return checkArray(value, path, size).map((row, i) => checkArray(row, `${path}[${i}]`, size).map((x, j) => entry(x, `${path}[${i}][${j}]`)));
}

function checkFloat32(value: unknown, path: string, length: number): Float32Array {
  if (!(value instanceof Float32Array)) fail(path, 'must be float32 data');
  if (value.length !== length) fail(path, `must hold ${length} values (holds ${value.length})`);
  return value;
}

function checkInt32(value: unknown, path: string): Int32Array {
  if (!(value instanceof Int32Array)) fail(path, 'must be int32 data');
  return value;
}

function checkLoss(value: unknown, path: string): void {
  if (!isLossSpec(value)) fail(path, 'must be a loss { kind: ce|opl, gamma, lambda, absNegative }');
}

function checkRuns(value: unknown, path: string, length?: number): number {
  const runs = checkArray(value, path, length);
  if (runs.length < 1 || runs.length > MAX_RUNS) fail(path, `must list 1..${MAX_RUNS} runs`);
  runs.forEach((r, i) => {
    const run = checkObject(r, `${path}[${i}]`);
    checkString(run.name, `${path}[${i}].name`);
    checkLoss(run.loss, `${path}[${i}].loss`);
  });
  return runs.length;
}

function checkConfig(value: unknown): TrainConfig {
  const c = checkObject(value, 'config');
  if (!MODELS.includes(c.model as string)) fail('config.model', `must be one of ${MODELS.join(', ')}`);
  checkInt(c.width, 'config.width', 1, 1024);
  checkInt(c.batchSize, 'config.batchSize', 1, 65536);
  checkInt(c.epochs, 'config.epochs', 1, 1_000_000);
  checkFinite(c.lr, 'config.lr', 0);
  checkFinite(c.momentum, 'config.momentum', 0);
  checkFinite(c.weightDecay, 'config.weightDecay', 0);
  checkFinite(c.warmupEpochs, 'config.warmupEpochs', 0);
  checkArray(c.decayAt, 'config.decayAt').forEach((x, i) => checkFinite(x, `config.decayAt[${i}]`));
  checkFinite(c.decayFactor, 'config.decayFactor', 0);
  checkBoolean(c.augment, 'config.augment');
  checkInt(c.seed, 'config.seed', Number.MIN_SAFE_INTEGER);
  checkInt(c.logEvery, 'config.logEvery', 1);
  checkRuns(c.runs, 'config.runs');
  return c as unknown as TrainConfig;
}

function checkTensorMap(value: unknown, path: string): void {
  const map = checkObject(value, path);
  for (const [name, v] of Object.entries(map)) {
    const record = checkObject(v, `${path}["${name}"]`);
    const shape = checkArray(record.shape, `${path}["${name}"].shape`);
    if (shape.length > 8) fail(`${path}["${name}"].shape`, 'has more than 8 dimensions');
    const size = shape.reduce<number>((n, d, i) => n * checkInt(d, `${path}["${name}"].shape[${i}]`, 1, 1 << 24), 1);
    checkFloat32(record.values, `${path}["${name}"].values`, size);
  }
}

function checkState(value: unknown, runCount: number, totalSteps: number): void {
  const s = checkObject(value, 'state');
  if (s.version !== 1) fail('state.version', 'must be 1');
  checkInt(s.step, 'state.step', 0, totalSteps);
  checkRuns(s.runs, 'state.runs', runCount);
  checkArray(s.weights, 'state.weights', runCount).forEach((w, r) => checkTensorMap(w, `state.weights[${r}]`));
  checkArray(s.momentum, 'state.momentum', runCount).forEach((m, r) => checkTensorMap(m, `state.momentum[${r}]`));
  if (!('sampler' in s) || !('augment' in s)) fail('state', 'must hold the sampler and augmentation positions');
  if (s.pending !== undefined && s.pending !== null) {
    const p = checkObject(s.pending, 'state.pending');
    checkInt(p.steps, 'state.pending.steps', 1);
    checkNumbers(p.sums, 'state.pending.sums', runCount * STEP_METRICS.length);
  }
}

function checkEmbedding(value: unknown, runCount: number, classCount: number, testCount: number, totalSteps: number): void {
  const e = checkObject(value, 'embedding');
  checkInt(e.step, 'embedding.step', 0, totalSteps);
  const dim = checkInt(e.dim, 'embedding.dim', 1, 65536);
  const labels = checkInt32(e.labels, 'embedding.labels');
  const indices = checkInt32(e.indices, 'embedding.indices');
  const count = labels.length;
  if (count > testCount) fail('embedding.labels', `holds ${count} labels, more than the ${testCount} test images`);
  if (indices.length !== count) fail('embedding.indices', `must hold ${count} values (holds ${indices.length})`);
  const seen = new Set<number>();
  for (let i = 0; i < count; i++) {
    if (labels[i] < 0 || labels[i] >= classCount) fail(`embedding.labels[${i}]`, `must be a class in 0..${classCount - 1}`);
    if (indices[i] < 0 || indices[i] >= testCount || seen.has(indices[i])) fail(`embedding.indices[${i}]`, `must be a distinct test image in 0..${testCount - 1}`);
    seen.add(indices[i]);
  }
  checkArray(e.features, 'embedding.features', runCount).forEach((f, r) => checkFloat32(f, `embedding.features[${r}]`, count * dim));
}

function checkHistory(value: unknown, runCount: number, classCount: number, totalSteps: number): void {
  const h = checkObject(value, 'history');
  let last = 0;
  checkArray(h.progress, 'history.progress').forEach((entry, i) => {
    const path = `history.progress[${i}]`;
    const p = checkObject(entry, path);
    const step = checkInt(p.step, `${path}.step`, last + 1, totalSteps);
    last = step;
    checkInt(p.epoch, `${path}.epoch`, 0, step);
    checkFinite(p.lr, `${path}.lr`, 0);
    checkArray(p.metrics, `${path}.metrics`, runCount).forEach((m, r) => {
      const metrics = checkObject(m, `${path}.metrics[${r}]`);
      for (const key of STEP_METRICS) checkNumber(metrics[key], `${path}.metrics[${r}].${key}`);
    });
  });
  let lastEval = 0;
  checkArray(h.evaluations, 'history.evaluations').forEach((entry, i) => {
    const path = `history.evaluations[${i}]`;
    const e = checkObject(entry, path);
    const step = checkInt(e.step, `${path}.step`, lastEval, totalSteps);
    lastEval = step;
    checkInt(e.epoch, `${path}.epoch`, 0, step);
    checkNumbers(e.trainAccuracy, `${path}.trainAccuracy`, runCount);
    checkArray(e.reports, `${path}.reports`, runCount).forEach((rep, r) => {
      const rp = `${path}.reports[${r}]`;
      const report = checkObject(rep, rp);
      checkString(report.name, `${rp}.name`);
      checkLoss(report.loss, `${rp}.loss`);
      for (const key of EVAL_NUMBERS) checkNumber(report[key], `${rp}.${key}`);
      checkNumbers(report.perClassAccuracy, `${rp}.perClassAccuracy`, classCount);
      checkMatrix(report.confusion, `${rp}.confusion`, classCount, (x, p) => checkInt(x, p, 0));
      checkMatrix(report.classMeanCos, `${rp}.classMeanCos`, classCount, checkNumber);
    });
  });
  checkArray(h.lossChanges, 'history.lossChanges').forEach((entry, i) => {
    const path = `history.lossChanges[${i}]`;
    const c = checkObject(entry, path);
    checkInt(c.step, `${path}.step`, 0, totalSteps);
    const loss = checkObject(c.loss, `${path}.loss`);
    checkFinite(loss.gamma, `${path}.loss.gamma`);
    checkFinite(loss.lambda, `${path}.loss.lambda`);
    checkBoolean(loss.absNegative, `${path}.loss.absNegative`);
  });
}

/**
 * Check a decoded document field by field and return it typed.
 * @throws RunFileError naming the first field that is wrong.
 */
export function checkSavedRun(doc: unknown): SavedRun {
  const run = checkObject(doc, 'the document');
  if (run.format !== 'opl-lab-run') fail('format', "must be 'opl-lab-run'");
  if (run.version !== 1) fail('version', `${String(run.version)} is not a version this reader knows (1)`);
  checkString(run.name, 'name');
  if (Number.isNaN(Date.parse(checkString(run.savedAt, 'savedAt', 64)))) fail('savedAt', 'must be an ISO time');
  checkObject(run.settings, 'settings');
  const config = checkConfig(run.config);
  const runCount = config.runs.length;
  const classNames = checkArray(run.classNames, 'classNames');
  if (classNames.length < 1 || classNames.length > MAX_CLASSES) fail('classNames', `must list 1..${MAX_CLASSES} classes`);
  classNames.forEach((n, i) => checkString(n, `classNames[${i}]`, 200));
  const data = checkObject(run.data, 'data');
  checkString(data.dataset, 'data.dataset', 100);
  checkInt(data.trainCount, 'data.trainCount', 1);
  const testCount = checkInt(data.testCount, 'data.testCount', 1);
  const totalSteps = checkInt(run.totalSteps, 'totalSteps', 1);
  // The history may run past the state: a run that diverged keeps its last good checkpoint and what it logged after.
  checkHistory(run.history, runCount, classNames.length, totalSteps);
  if (run.state !== null) checkState(run.state, runCount, totalSteps);
  if (run.embedding !== null) checkEmbedding(run.embedding, runCount, classNames.length, testCount, totalSteps);
  return run as unknown as SavedRun;
}
