// The trainer: the host drives it one step at a time. All runs share one data stream, so in the paired mode a
// CE run and a CE + OPL run start from identical weights and see identical batches; only the loss differs.
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from './config';
import { joinArrays } from './arrays';
import { createBatchSampler, gatherLabels, type ChannelStats } from './data/batches';
import { createBatchSource } from './data/batchSource';
import { computeChannelStats } from './data/subset';
import type { DatasetSplit, ImageDataset } from './data/types';
import { gatherRows } from './eval/cosine';
import { computeObjective, type LossSpec } from './losses/objective';
import { argmaxRows, computeClassification, computeSimilarity, type ClassificationMetrics, type SimilarityMetrics } from './metrics';
import { buildResNet, type ResNet } from './models/resnet';
import { createSgd, type Sgd } from './optim/sgd';
import { createRng, shuffleInPlace } from './rng';
import { computeLearningRate } from './schedule';
import { captureTrainerState, restoreTrainerState, type TrainerParts, type TrainerState } from './trainerState';

/** Training numbers of one run, averaged over the steps since the last report. */
export interface StepMetrics {
  total: number;
  ce: number;
  opl: number;
  /** OPL's same-class mean cosine in the batch. */
  s: number;
  /** OPL's different-class mean cosine in the batch. */
  d: number;
  /** Accuracy on the (augmented) training batch. */
  accuracy: number;
}

export interface StepReport {
  /** Steps done so far, 1-based after the first call. */
  step: number;
  /** Epoch (0-based) this step belonged to. */
  epoch: number;
  lr: number;
  /** True on the last step of an epoch. */
  epochEnd: boolean;
  /** True once every step of the configured run is done. */
  done: boolean;
  /** Per run, averaged since the last report; null on steps that read nothing back (see logEvery). */
  metrics: StepMetrics[] | null;
  /** Indices of runs whose metrics read back this step contain NaN or Inf (empty when none, or nothing was read). */
  nonFinite: number[];
}

export interface EvalReport extends ClassificationMetrics, SimilarityMetrics {
  name: string;
  loss: LossSpec;
}

export interface Embedding {
  /** Per run, [count, dim] row-major features. */
  features: Float32Array[];
  labels: Int32Array;
  /** Indices into the test set. */
  indices: Int32Array;
  dim: number;
}

export interface Trainer {
  readonly config: TrainConfig;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  readonly numClasses: number;
  readonly stats: ChannelStats;
  readonly models: readonly ResNet[];
  /** Train every run for one step on the same batch. Metrics come back (one readback for all runs) every logEvery steps. */
  step(): Promise<StepReport>;
  /** Evaluate every run on a whole split without augmentation. */
  evaluate(split?: 'test' | 'train'): Promise<EvalReport[]>;
  /** Test features of up to `count` images (a seeded class-balanced-by-chance sample, the same for every run). */
  embed(count?: number): Promise<Embedding>;
  /**
   * evaluate('test') and embed(count) from one forward pass over the test set (the epoch end's work, which as
   * two calls ran the embedded images through every model twice).
   */
  evaluateAndEmbed(count: number): Promise<{ reports: EvalReport[]; embedding: Embedding }>;
  /** Change a run's loss weights; takes effect from the next step. */
  setLoss(run: number, loss: Partial<LossSpec>): void;
  /**
   * Everything needed to continue exactly from here (see trainerState.ts), read with one batched readback.
   * Changes nothing; call it between steps. The typed arrays are new copies the caller owns.
   */
  captureState(): Promise<TrainerState>;
  /** Free every tensor the trainer owns. */
  dispose(): void;
}

const METRIC_COUNT = 6;
const toFloats = (n: number) => new Float32Array(n);
const EVAL_BATCH = 250;

export interface CreateTrainerOptions {
  /** Continue from a captured state instead of step 0 (same config and data; the epochs may differ). */
  resumeFrom?: TrainerState;
}

/**
 * Create a trainer over already-loaded data. Normalisation statistics come from the training images.
 * Owns its models and optimiser state until dispose().
 * @throws TrainerStateError when options.resumeFrom does not fit the config and data (nothing is left allocated).
 */
export function createTrainer(config: TrainConfig, data: DatasetSplit, options: CreateTrainerOptions = {}): Trainer {
  if (config.runs.length === 0) throw new Error('createTrainer: config.runs is empty');
  if (data.train.count === 0 || data.test.count === 0) throw new Error('createTrainer: empty training or test set');
  const numClasses = data.train.classNames.length;
  const rng = createRng(config.seed);
  const sampler = createBatchSampler(data.train.count, config.batchSize, rng.fork('batches'));
  const augmentRng = rng.fork('augment');
  const stats = computeChannelStats(data.train);
  const runs = config.runs.map((r) => ({ ...r, loss: { ...r.loss } }));
  // Every run draws its initial weights from the same stream: identical starting points.
  const models = runs.map(() => buildResNet({ model: config.model, width: config.width, numClasses }, rng.fork('init')));
  const optimisers: Sgd[] = models.map((m) => createSgd(m.params, config.momentum, config.weightDecay));
  const totalSteps = sampler.stepsPerEpoch * config.epochs;
  const logEvery = Math.max(1, Math.floor(config.logEvery));
  let stepCount = 0;
  let pending: tf.Tensor2D | null = null; // [runs, METRIC_COUNT] sums since the last report
  let pendingSteps = 0;
  const stateParts = (): TrainerParts => ({ step: stepCount, totalSteps, runs, models, optimisers, sampler, augmentRng, pending, pendingSteps });
  if (options.resumeFrom) {
    try {
      const restored = restoreTrainerState(options.resumeFrom, stateParts(), METRIC_COUNT);
      ({ step: stepCount, pending, pendingSteps } = restored);
      restored.runs.forEach((r, i) => (runs[i] = r));
    } catch (err) {
      models.forEach((m) => m.dispose());
      optimisers.forEach((o) => o.dispose());
      throw err;
    }
  }

  const batches = createBatchSource(config.batches ?? 'host', stats);
  const toBatch = (dataset: ImageDataset, indices: Int32Array, augment: boolean) =>
    batches.gatherImages(dataset, indices, augment ? augmentRng : undefined);

  const trainOneRun = (run: number, images: tf.Tensor4D, labels: tf.Tensor1D, lr: number): tf.Tensor1D => {
    const model = models[run];
    let parts: tf.Tensor[] = [];
    const { grads } = tf.variableGrads(() => {
      const { features, logits } = model.apply(images, true);
      const o = computeObjective(features, logits, labels, runs[run].loss);
      const correct = tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
      parts = [o.total, o.ce, o.opl, o.s, o.d, correct].map((t) => tf.keep(t));
      return o.total;
    }, model.params);
    optimisers[run].apply(model.params.map((p) => grads[p.name]), lr);
    tf.dispose(grads);
    const row = tf.stack(parts) as tf.Tensor1D;
    tf.dispose(parts);
    return row;
  };

  const forwardSplit = async (dataset: ImageDataset, indices: Int32Array) => {
    const outs = models.map(() => ({ features: [] as Float32Array[], logits: [] as Float32Array[] }));
    for (let start = 0; start < indices.length; start += EVAL_BATCH) {
      const chunk = indices.subarray(start, Math.min(start + EVAL_BATCH, indices.length));
      const images = toBatch(dataset, chunk, false);
      const results = models.map((m) => m.apply(images, false));
      images.dispose();
      for (let r = 0; r < models.length; r++) {
        const [f, l] = await Promise.all([results[r].features.data(), results[r].logits.data()]);
        outs[r].features.push(f as Float32Array);
        outs[r].logits.push(l as Float32Array);
        tf.dispose([results[r].features, results[r].logits]);
      }
    }
    return outs.map((o) => ({ features: joinArrays(o.features, toFloats), logits: joinArrays(o.logits, toFloats) }));
  };

  type SplitOutputs = Awaited<ReturnType<typeof forwardSplit>>;
  const reportsOf = (outs: SplitOutputs, dataset: ImageDataset): EvalReport[] =>
    outs.map((o, r) => ({
      name: runs[r].name,
      loss: { ...runs[r].loss },
      ...computeClassification(argmaxRows(o.logits, numClasses), dataset.labels, numClasses),
      ...computeSimilarity(o.features, dataset.labels, models[r].featureDim, numClasses),
    }));
  /** The embedded test images: a seeded sample of `count`, in index order. */
  const embeddedIndices = (count: number) => {
    const order = shuffleInPlace(Int32Array.from({ length: data.test.count }, (_, i) => i), createRng(config.seed).fork('embed'));
    return order.slice(0, Math.min(count, data.test.count)).sort();
  };
  const allIndices = (dataset: ImageDataset) => Int32Array.from({ length: dataset.count }, (_, i) => i);

  return {
    config,
    stepsPerEpoch: sampler.stepsPerEpoch,
    totalSteps,
    numClasses,
    stats,
    models,
    async step() {
      const epoch = Math.floor(stepCount / sampler.stepsPerEpoch);
      const lr = computeLearningRate(config, stepCount, sampler.stepsPerEpoch, config.epochs);
      const indices = sampler.next();
      const { images, labels } = batches.gather(data.train, indices, config.augment ? augmentRng : undefined);
      const rows = runs.map((_, r) => trainOneRun(r, images, labels, lr));
      tf.dispose([images, labels]);
      const stacked = tf.stack(rows) as tf.Tensor2D;
      tf.dispose(rows);
      if (pending) {
        const sum = tf.add(pending, stacked) as tf.Tensor2D;
        tf.dispose([pending, stacked]);
        pending = sum;
      } else {
        pending = stacked;
      }
      pendingSteps++;
      stepCount++;
      const done = stepCount >= totalSteps;
      const epochEnd = stepCount % sampler.stepsPerEpoch === 0;
      let metrics: StepMetrics[] | null = null;
      const nonFinite: number[] = [];
      if (pendingSteps >= logEvery || epochEnd || done) {
        const sums = pending;
        const n = pendingSteps;
        pending = null;
        pendingSteps = 0;
        const values = await sums.data();
        sums.dispose();
        metrics = runs.map((_, r) => {
          const v = (k: number) => values[r * METRIC_COUNT + k] / n;
          return { total: v(0), ce: v(1), opl: v(2), s: v(3), d: v(4), accuracy: v(5) };
        });
        metrics.forEach((m, r) => {
          if (!Object.values(m).every(Number.isFinite)) nonFinite.push(r);
        });
      }
      return { step: stepCount, epoch, lr, epochEnd, done, metrics, nonFinite };
    },
    async evaluate(split = 'test') {
      const dataset = split === 'test' ? data.test : data.train;
      return reportsOf(await forwardSplit(dataset, allIndices(dataset)), dataset);
    },
    async embed(count = 1000) {
      const indices = embeddedIndices(count);
      const outs = await forwardSplit(data.test, indices);
      return { features: outs.map((o) => o.features), labels: gatherLabels(data.test, indices), indices, dim: models[0].featureDim };
    },
    async evaluateAndEmbed(count) {
      const outs = await forwardSplit(data.test, allIndices(data.test));
      const indices = embeddedIndices(count);
      const features = outs.map((o, r) => gatherRows(o.features, models[r].featureDim, indices));
      const embedding = { features, labels: gatherLabels(data.test, indices), indices, dim: models[0].featureDim };
      return { reports: reportsOf(outs, data.test), embedding };
    },
    setLoss(run, loss) {
      runs[run].loss = { ...runs[run].loss, ...loss };
    },
    captureState: () => captureTrainerState(stateParts()),
    dispose() {
      models.forEach((m) => m.dispose());
      optimisers.forEach((o) => o.dispose());
      batches.dispose();
      pending?.dispose();
      pending = null;
    },
  };
}
