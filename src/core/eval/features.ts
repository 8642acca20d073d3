// Frozen features of a trained model: the eval-mode (BatchNorm running statistics) pooled penultimate vectors
// of a set of images, read back in batches. Few-shot transfer and any other probe of the feature space start here.
import * as tf from '@tensorflow/tfjs';
import { assembleBatch, type ChannelStats } from '../data/batches';
import { IMAGE_CHANNELS, IMAGE_SIZE, type ImageDataset } from '../data/types';
import type { ResNet } from '../models/resnet';

/** Images per forward pass when none is given. */
export const FEATURE_BATCH = 250;

export interface FeatureOptions {
  /** Which images, in this order; every image of the dataset when omitted. */
  indices?: Int32Array;
  /** Images per forward pass (default FEATURE_BATCH). */
  batchSize?: number;
  /** Called after each batch with the images done so far and the total (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Eval-mode GAP features of `dataset` images, normalised with `stats` and not augmented.
 * Reads back one batch at a time (one `data()` per batch); leaves no tensor behind.
 * @returns [n, model.featureDim] row-major, n = indices.length (or dataset.count); the caller owns it.
 */
export async function extractFeatures(model: ResNet, dataset: ImageDataset, stats: ChannelStats, options: FeatureOptions = {}): Promise<Float32Array> {
  const indices = options.indices ?? Int32Array.from({ length: dataset.count }, (_, i) => i);
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? FEATURE_BATCH));
  const dim = model.featureDim;
  const out = new Float32Array(indices.length * dim);
  for (let start = 0; start < indices.length; start += batchSize) {
    const chunk = indices.subarray(start, Math.min(start + batchSize, indices.length));
    const features = tf.tidy(() => {
      const images = tf.tensor4d(assembleBatch(dataset, chunk, stats), [chunk.length, IMAGE_SIZE, IMAGE_SIZE, IMAGE_CHANNELS]);
      const { features: f, logits } = model.apply(images, false);
      logits.dispose();
      return f;
    });
    const values = await features.data();
    features.dispose();
    out.set(values as Float32Array, start * dim);
    options.onProgress?.(start + chunk.length, indices.length);
  }
  return out;
}
