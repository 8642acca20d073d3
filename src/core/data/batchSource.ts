// Where a trainer's batches are built: on the host (assembleBatch, then one upload of the float batch per step)
// or on the device (deviceBatches: each data set uploaded once, batches gathered and augmented there). Both
// give the same batches from the same Rng; the device path is the GPU backends' (no per-step batch upload).
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { assembleBatch, gatherLabels, type ChannelStats } from './batches';
import { createDeviceBatches, fitsDevice, type DeviceBatch } from './deviceBatches';
import { IMAGE_CHANNELS, IMAGE_SIZE, type ImageDataset } from './types';

/** 'host': batches assembled in JS and uploaded per step; 'device': gathered from tables uploaded once. */
export type BatchSourceKind = 'host' | 'device';

/** Builds a trainer's batches as tensors on the active backend. */
export interface BatchSource {
  /** Images [n, 32, 32, 3] float32 (normalised; augmented with `rng`) and labels [n] int32; the caller disposes both. */
  gather(dataset: ImageDataset, indices: ArrayLike<number>, rng?: Rng): DeviceBatch;
  /** Images only, as gather(); the caller disposes the tensor. */
  gatherImages(dataset: ImageDataset, indices: ArrayLike<number>, rng?: Rng): tf.Tensor4D;
  /** Free whatever the source keeps on the device (the device tables). */
  dispose(): void;
}

/**
 * A batch source of the given kind for data normalised with `stats`. The device kind builds on the host any
 * data set too large for a device table (see MAX_DEVICE_TABLE_BYTES), with the same batches either way.
 */
export function createBatchSource(kind: BatchSourceKind, stats: ChannelStats): BatchSource {
  const host = createHostBatches(stats);
  if (kind === 'host') return host;
  const device = createDeviceBatches(stats);
  const pick = (dataset: ImageDataset) => (fitsDevice(dataset.count) ? device : host);
  return {
    gather: (dataset, indices, rng) => pick(dataset).gather(dataset, indices, rng),
    gatherImages: (dataset, indices, rng) => pick(dataset).gatherImages(dataset, indices, rng),
    dispose: () => device.dispose(),
  };
}

function createHostBatches(stats: ChannelStats): BatchSource {
  const gatherImages = (dataset: ImageDataset, indices: ArrayLike<number>, rng?: Rng) =>
    tf.tensor4d(assembleBatch(dataset, indices, stats, rng), [indices.length, IMAGE_SIZE, IMAGE_SIZE, IMAGE_CHANNELS]);
  return {
    gather: (dataset, indices, rng) => ({ images: gatherImages(dataset, indices, rng), labels: tf.tensor1d(gatherLabels(dataset, indices), 'int32') }),
    gatherImages,
    dispose: () => {},
  };
}
