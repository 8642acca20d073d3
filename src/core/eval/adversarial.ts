// White-box attacks on a trained model in pixel space: FGSM (one signed-gradient step of ε) and PGD (a few
// projected signed-gradient steps from a seeded random start in the L∞ ε-ball), on the eval-mode model's CE
// loss w.r.t. the true label. Normalisation is part of the attacked graph, so gradients are w.r.t. pixels in [0, 1].
import * as tf from '@tensorflow/tfjs';
import type { ChannelStats } from '../data/batches';
import { IMAGE_BYTES, IMAGE_CHANNELS, IMAGE_SIZE, type ImageDataset } from '../data/types';
import type { ResNet } from '../models/resnet';
import { createRng, shuffleInPlace, type Rng } from '../rng';

export type AttackMethod = 'fgsm' | 'pgd';

export interface AttackOptions {
  method: AttackMethod;
  /** L∞ radius in pixel units of [0, 1], e.g. 8/255. */
  epsilon: number;
  /** PGD steps (default PGD_DEFAULT_STEPS); FGSM is always one step. */
  steps?: number;
  /** PGD step size in pixel units (default 2.5·ε/steps, as Madry et al.). */
  stepSize?: number;
  /** Images attacked: a seeded sample of the dataset (default: all of it). */
  count?: number;
  /** Seed for the image sample and PGD's random start. */
  seed: number;
  /** Images per forward/backward pass (default 100). */
  batchSize?: number;
  /** How many of the attacked images come back as examples (default 8). */
  exampleCount?: number;
  /** Called after each batch with the images attacked so far and the total (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

export interface AttackExample {
  /** Index into the dataset. */
  index: number;
  label: number;
  cleanPrediction: number;
  adversarialPrediction: number;
  /** The attacked image, 32x32x3 HWC bytes (rounded from the float perturbation). */
  perturbed: Uint8Array;
}

export interface AttackResult {
  method: string;
  epsilon: number;
  /** Images attacked. */
  count: number;
  cleanAccuracy: number;
  adversarialAccuracy: number;
  /** Mean CE on the clean and on the attacked images. */
  cleanLoss: number;
  adversarialLoss: number;
  /** Largest |perturbed − clean| over every pixel, in [0, 1] units (≤ ε by construction). */
  maxPerturbation: number;
  /** The first exampleCount attacked images, in sample order (the same images for every model given the same seed). */
  examples: AttackExample[];
}

/** The perturbation settings of one attack; see AttackOptions. */
export interface PerturbOptions {
  method: AttackMethod;
  epsilon: number;
  steps?: number;
  stepSize?: number;
}

export const PGD_DEFAULT_STEPS = 7;
const ATTACK_BATCH = 100;
const EXAMPLE_COUNT = 8;

/**
 * Per-image softmax cross-entropy of the eval-mode model on pixels in [0, 1] (normalised inside the graph).
 * @param pixels [B, 32, 32, 3] in [0, 1]; @param labels [B] int32.
 * @returns [B] losses, owned by the caller.
 */
export function computePixelLosses(model: ResNet, pixels: tf.Tensor4D, labels: tf.Tensor1D, stats: ChannelStats): tf.Tensor1D {
  return tf.tidy(() => computeLogitLosses(classifyPixels(model, pixels, stats), labels));
}

/** Per-row softmax CE of logits [B, C] against int32 labels [B]; [B], owned by the caller. */
function computeLogitLosses(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const targets = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]);
    return tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
  });
}

/** Eval-mode logits [B, classes] of pixels [B, 32, 32, 3] in [0, 1]; owned by the caller. */
export function classifyPixels(model: ResNet, pixels: tf.Tensor4D, stats: ChannelStats): tf.Tensor2D {
  return tf.tidy(() => {
    const normalised = tf.div(tf.sub(pixels, tf.tensor1d(stats.mean)), tf.tensor1d(stats.std)) as tf.Tensor4D;
    const { features, logits } = model.apply(normalised, false);
    features.dispose();
    return logits;
  });
}

/**
 * Attack a batch: returns adversarial pixels [B, 32, 32, 3] in [0, 1] with |x' − x|∞ ≤ ε; the caller owns them
 * and keeps ownership of the inputs. FGSM: x' = clip(x + ε·sign(∇x CE)). PGD: x' starts at clip(x + ε·u) with
 * u = randomStart (uniform in [−1, 1], same shape; required for PGD) and takes `steps` signed steps of
 * `stepSize`, projected back into the ε-ball and [0, 1] after each.
 */
export function perturbPixels(
  model: ResNet,
  pixels: tf.Tensor4D,
  labels: tf.Tensor1D,
  stats: ChannelStats,
  options: PerturbOptions,
  randomStart?: tf.Tensor4D,
): tf.Tensor4D {
  const { epsilon } = options;
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) throw new RangeError(`epsilon must be a number >= 0, got ${epsilon}`);
  // Mean CE: its gradient has the sign of each image's own CE gradient (images do not interact in eval mode).
  const lossOf = (x: tf.Tensor) => tf.mean(computePixelLosses(model, x as tf.Tensor4D, labels, stats));
  const gradient = (x: tf.Tensor4D) => tf.grad(lossOf)(x) as tf.Tensor4D;
  const project = (x: tf.Tensor4D) => tf.clipByValue(tf.minimum(tf.maximum(x, tf.sub(pixels, epsilon)), tf.add(pixels, epsilon)), 0, 1) as tf.Tensor4D;
  if (options.method === 'fgsm') {
    return tf.tidy(() => tf.clipByValue(tf.add(pixels, tf.mul(tf.sign(gradient(pixels)), epsilon)), 0, 1) as tf.Tensor4D);
  }
  const steps = Math.max(1, Math.floor(options.steps ?? PGD_DEFAULT_STEPS));
  const stepSize = options.stepSize ?? (2.5 * epsilon) / steps;
  if (!randomStart) throw new Error('perturbPixels: PGD needs a random start');
  let x = tf.tidy(() => project(tf.add(pixels, tf.mul(randomStart, epsilon)) as tf.Tensor4D));
  for (let s = 0; s < steps; s++) {
    const next = tf.tidy(() => project(tf.add(x, tf.mul(tf.sign(gradient(x)), stepSize)) as tf.Tensor4D));
    x.dispose();
    x = next;
  }
  return x;
}

/**
 * Attack a seeded sample of `dataset` (images normalised with `stats` inside the graph) and measure clean and
 * adversarial accuracy. One batched readback per batch; leaves no tensor behind.
 */
export async function attackModel(model: ResNet, dataset: ImageDataset, stats: ChannelStats, options: AttackOptions): Promise<AttackResult> {
  const count = Math.min(dataset.count, Math.max(1, Math.floor(options.count ?? dataset.count)));
  const rng = createRng(options.seed);
  const order = shuffleInPlace(Int32Array.from({ length: dataset.count }, (_, i) => i), rng.fork('attack-images'));
  const indices = order.slice(0, count);
  const startRng = rng.fork('pgd-start');
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? ATTACK_BATCH));
  const exampleCount = Math.min(count, options.exampleCount ?? EXAMPLE_COUNT);
  let cleanCorrect = 0;
  let adversarialCorrect = 0;
  let cleanLoss = 0;
  let adversarialLoss = 0;
  let maxPerturbation = 0;
  const examples: AttackExample[] = [];

  for (let start = 0; start < count; start += batchSize) {
    const chunk = indices.subarray(start, Math.min(start + batchSize, count));
    const n = chunk.length;
    const pixels = tf.tensor4d(gatherPixels(dataset, chunk), [n, IMAGE_SIZE, IMAGE_SIZE, IMAGE_CHANNELS]);
    const labels = tf.tensor1d(Int32Array.from(chunk, (i) => dataset.labels[i]), 'int32');
    const randomStart = options.method === 'pgd' ? tf.tensor4d(drawUniform(n * IMAGE_BYTES, startRng), pixels.shape) : undefined;
    const adversarial = perturbPixels(model, pixels, labels, stats, options, randomStart);
    const [cleanPred, advPred, cleanLosses, advLosses, maxDelta] = tf.tidy(() => {
      const cleanLogits = classifyPixels(model, pixels, stats);
      const advLogits = classifyPixels(model, adversarial, stats);
      return [
        tf.argMax(cleanLogits, 1),
        tf.argMax(advLogits, 1),
        computeLogitLosses(cleanLogits, labels),
        computeLogitLosses(advLogits, labels),
        tf.max(tf.abs(tf.sub(adversarial, pixels))),
      ];
    });
    const wanted = Math.max(0, Math.min(n, exampleCount - start));
    const exampleTensor = wanted > 0 ? tf.slice(adversarial, [0, 0, 0, 0], [wanted, IMAGE_SIZE, IMAGE_SIZE, IMAGE_CHANNELS]) : null;
    const reads = [cleanPred, advPred, cleanLosses, advLosses, maxDelta, ...(exampleTensor ? [exampleTensor] : [])].map((t) => t.data());
    const [cp, ap, cl, al, md, ex] = await Promise.all(reads);
    tf.dispose([pixels, labels, adversarial, cleanPred, advPred, cleanLosses, advLosses, maxDelta]);
    randomStart?.dispose();
    exampleTensor?.dispose();
    for (let i = 0; i < n; i++) {
      const label = dataset.labels[chunk[i]];
      if (cp[i] === label) cleanCorrect++;
      if (ap[i] === label) adversarialCorrect++;
      cleanLoss += cl[i];
      adversarialLoss += al[i];
    }
    maxPerturbation = Math.max(maxPerturbation, md[0]);
    options.onProgress?.(start + n, count);
    for (let i = 0; i < wanted; i++) {
      const perturbed = new Uint8Array(IMAGE_BYTES);
      for (let p = 0; p < IMAGE_BYTES; p++) perturbed[p] = Math.round(Math.min(1, Math.max(0, ex[i * IMAGE_BYTES + p])) * 255);
      examples.push({ index: chunk[i], label: dataset.labels[chunk[i]], cleanPrediction: cp[i], adversarialPrediction: ap[i], perturbed });
    }
  }
  return {
    method: options.method,
    epsilon: options.epsilon,
    count,
    cleanAccuracy: cleanCorrect / count,
    adversarialAccuracy: adversarialCorrect / count,
    cleanLoss: cleanLoss / count,
    adversarialLoss: adversarialLoss / count,
    maxPerturbation,
    examples,
  };
}

/** Images at `indices` as floats in [0, 1], [n, 32, 32, 3] flattened. */
function gatherPixels(dataset: ImageDataset, indices: Int32Array): Float32Array {
  const out = new Float32Array(indices.length * IMAGE_BYTES);
  for (let i = 0; i < indices.length; i++) {
    const src = dataset.images.subarray(indices[i] * IMAGE_BYTES, (indices[i] + 1) * IMAGE_BYTES);
    for (let p = 0; p < IMAGE_BYTES; p++) out[i * IMAGE_BYTES + p] = src[p] / 255;
  }
  return out;
}

/** n uniform numbers in [−1, 1). */
function drawUniform(n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 2 * rng.next() - 1;
  return out;
}
