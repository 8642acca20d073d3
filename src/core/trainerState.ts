// Exact resume: everything a trainer needs to continue bit for bit where it stood (step count, losses, weights,
// BN running statistics, momentum, batch order, augmentation randomness, half-accumulated metrics) as plain
// data, captured with one readback and checked field by field before anything is restored.
import * as tf from '@tensorflow/tfjs';
import type { RunSpec } from './config';
import type { BatchSampler, SamplerState } from './data/batches';
import type { LossSpec } from './losses/objective';
import type { ResNet } from './models/resnet';
import type { Sgd } from './optim/sgd';
import { isRngState, type Rng, type RngState } from './rng';

/** One tensor's values, row-major, with its shape. */
export interface TensorRecord {
  shape: number[];
  values: Float32Array;
}

/** Metric sums accumulated since the last report (logEvery > 1), so a resumed run reports the same averages. */
export interface PendingMetrics {
  /** Steps summed. */
  steps: number;
  /** [runs × metrics] row-major sums, as the trainer holds them. */
  sums: number[];
}

/** A trainer's whole state between two steps; plain data (typed arrays for tensors), safe to serialise. */
export interface TrainerState {
  version: 1;
  /** Steps done. */
  step: number;
  /** Each run's loss as it is now (after setLoss). */
  runs: RunSpec[];
  /** Per run: every model variable (params and BN running stats), by its readable name. */
  weights: Record<string, TensorRecord>[];
  /** Per run: SGD momentum buffers, by param name. */
  momentum: Record<string, TensorRecord>[];
  /** Opaque JSON: exact continuation of batch order. */
  sampler: unknown;
  /** Opaque JSON: exact continuation of augmentation randomness. */
  augment: unknown;
  /** Metrics summed since the last report; null or absent when nothing is pending. */
  pending?: PendingMetrics | null;
}

/** A state that does not fit the trainer it is given to; the message is one line a user can act on. */
export class TrainerStateError extends Error {
  override name = 'TrainerStateError';
}

/** The parts of a live trainer the state is read from and written to. */
export interface TrainerParts {
  step: number;
  totalSteps: number;
  runs: RunSpec[];
  models: readonly ResNet[];
  optimisers: readonly Sgd[];
  sampler: BatchSampler;
  augmentRng: Rng;
  /** [runs, metricCount] sums since the last report, or null. Not disposed here. */
  pending: tf.Tensor2D | null;
  pendingSteps: number;
}

/** What a restore changes in the trainer's own bookkeeping (the tensors are assigned in place). */
export interface RestoredCounters {
  step: number;
  runs: RunSpec[];
  /** A new tensor the trainer owns, or null. */
  pending: tf.Tensor2D | null;
  pendingSteps: number;
}

interface AugmentState {
  rng: RngState;
}

/** Every variable of a run in a fixed order: params, BN buffers, then momentum buffers. */
function listVariables(model: ResNet, sgd: Sgd): { group: 'weights' | 'momentum'; name: string; variable: tf.Variable }[] {
  return [
    ...model.params.map((variable, i) => ({ group: 'weights' as const, name: model.paramNames[i], variable })),
    ...model.buffers.map((variable, i) => ({ group: 'weights' as const, name: model.bufferNames[i], variable })),
    ...sgd.velocity.map((variable, i) => ({ group: 'momentum' as const, name: model.paramNames[i], variable })),
  ];
}

/**
 * Read a trainer's state with one batched readback (every variable of every run and the pending metric sums
 * concatenated into one temporary tensor, disposed here). Changes nothing in the trainer.
 */
export async function captureTrainerState(parts: TrainerParts): Promise<TrainerState> {
  const lists = parts.models.map((m, r) => listVariables(m, parts.optimisers[r]));
  const flat = tf.tidy(() => {
    const pieces = lists.flat().map((v) => tf.reshape(v.variable, [-1]));
    if (parts.pending) pieces.push(tf.reshape(parts.pending, [-1]));
    return tf.concat(pieces);
  });
  const values = (await flat.data()) as Float32Array;
  flat.dispose();
  let offset = 0;
  const take = (size: number) => values.slice(offset, (offset += size));
  const weights: Record<string, TensorRecord>[] = [];
  const momentum: Record<string, TensorRecord>[] = [];
  for (const list of lists) {
    const w: Record<string, TensorRecord> = {};
    const m: Record<string, TensorRecord> = {};
    for (const v of list) (v.group === 'weights' ? w : m)[v.name] = { shape: [...v.variable.shape], values: take(v.variable.size) };
    weights.push(w);
    momentum.push(m);
  }
  const pending = parts.pending ? { steps: parts.pendingSteps, sums: Array.from(take(parts.pending.size)) } : null;
  const augment: AugmentState = { rng: parts.augmentRng.saveState() };
  return {
    version: 1,
    step: parts.step,
    runs: parts.runs.map((r) => ({ name: r.name, loss: { ...r.loss } })),
    weights,
    momentum,
    sampler: parts.sampler.saveState(),
    augment,
    pending,
  };
}

/**
 * Check that a state fits the trainer (version, step range, run count, every variable's name and shape) and
 * then write it in: variables are assigned in place, the sampler and augmentation generator continue from the
 * saved position. Nothing is changed when the check fails.
 * @throws TrainerStateError with a one-line reason.
 */
export function restoreTrainerState(state: TrainerState, parts: TrainerParts, metricCount: number): RestoredCounters {
  if (typeof state !== 'object' || state === null || state.version !== 1) fail('unknown state version');
  if (!Number.isInteger(state.step) || state.step < 0) fail(`step ${String(state.step)} is not a step count`);
  if (state.step > parts.totalSteps) fail(`it is at step ${state.step}, past the ${parts.totalSteps} steps configured`);
  const runCount = parts.models.length;
  for (const [label, list] of [['runs', state.runs], ['weights', state.weights], ['momentum', state.momentum]] as const) {
    if (!Array.isArray(list) || list.length !== runCount) fail(`it has ${Array.isArray(list) ? list.length : 'no'} ${label}, this run has ${runCount}`);
  }
  state.runs.forEach((run, r) => {
    if (typeof run?.name !== 'string' || !isLossSpec(run.loss)) fail(`run ${r} has no valid name and loss`);
  });
  const lists = parts.models.map((m, r) => listVariables(m, parts.optimisers[r]));
  lists.forEach((list, r) => {
    const groups = { weights: state.weights[r], momentum: state.momentum[r] };
    for (const [group, records] of Object.entries(groups)) {
      const expected = list.filter((v) => v.group === group);
      if (typeof records !== 'object' || records === null) fail(`run ${r} has no ${group}`);
      const names = Object.keys(records);
      if (names.length !== expected.length) fail(`run ${r} has ${names.length} ${group} tensors, the model has ${expected.length}`);
      for (const v of expected) {
        const record = (records as Record<string, TensorRecord>)[v.name];
        if (!record) fail(`run ${r} has no ${group} tensor "${v.name}"`);
        const shapeOk = Array.isArray(record.shape) && record.shape.length === v.variable.shape.length && record.shape.every((d, i) => d === v.variable.shape[i]);
        if (!shapeOk) fail(`${group} tensor "${v.name}" of run ${r} has shape [${String(record.shape)}], the model has [${v.variable.shape}]`);
        if (!(record.values instanceof Float32Array) || record.values.length !== v.variable.size) fail(`${group} tensor "${v.name}" of run ${r} has the wrong number of values`);
      }
    }
  });
  const augment = state.augment as AugmentState | null;
  if (typeof augment !== 'object' || augment === null || !isRngState(augment.rng)) fail('the augmentation state is malformed');
  const pending = state.pending ?? null;
  if (pending !== null) {
    const ok = Number.isInteger(pending.steps) && pending.steps > 0 && Array.isArray(pending.sums) && pending.sums.length === runCount * metricCount &&
      pending.sums.every((x) => typeof x === 'number');
    if (!ok) fail('the pending metric sums are malformed');
  }
  // The sampler checks its own state; do it before any variable is touched.
  const samplerBefore = parts.sampler.saveState();
  try {
    parts.sampler.restoreState(state.sampler as SamplerState);
  } catch (err) {
    parts.sampler.restoreState(samplerBefore);
    fail(err instanceof Error ? err.message : 'the batch order state is malformed');
  }

  lists.forEach((list, r) => {
    for (const v of list) {
      const record = (v.group === 'weights' ? state.weights : state.momentum)[r][v.name];
      tf.tidy(() => v.variable.assign(tf.tensor(record.values, v.variable.shape, 'float32')));
    }
    parts.optimisers[r].setStarted(state.step > 0);
  });
  parts.augmentRng.restoreState(augment!.rng);
  return {
    step: state.step,
    runs: state.runs.map((r) => ({ name: r.name, loss: { ...r.loss } })),
    pending: pending ? tf.tensor2d(pending.sums, [runCount, metricCount], 'float32') : null,
    pendingSteps: pending ? pending.steps : 0,
  };
}

function fail(reason: string): never {
  throw new TrainerStateError(`saved state does not fit this run: ${reason}`);
}

/** Whether a value parsed from JSON is a LossSpec. */
export function isLossSpec(value: unknown): value is LossSpec {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (v.kind === 'ce' || v.kind === 'opl') && isFiniteNumber(v.gamma) && isFiniteNumber(v.lambda) && typeof v.absNegative === 'boolean';
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Indices of the runs whose saved weights or momentum hold a NaN or an infinity (a diverged checkpoint). */
export function findNonFiniteRuns(state: TrainerState): number[] {
  const bad = (records: Record<string, TensorRecord>) => Object.values(records).some((t) => t.values.some((v) => !Number.isFinite(v)));
  return state.weights.map((_, r) => r).filter((r) => bad(state.weights[r]) || bad(state.momentum[r]));
}
