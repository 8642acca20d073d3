// Batches built on the tfjs device (GPU or wasm memory) instead of on the host: each data set is normalised
// and uploaded once, and a step uploads only its image indices and crop/flip draws (4 ints per image), then
// gathers the augmented batch there. The draws come from the same Rng in the same order as assembleBatch,
// and the table holds assembleBatch's own values, so both paths give the same batch bit for bit.
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import { assembleBatch, CROP_PADDING, type ChannelStats } from './batches';
import { IMAGE_CHANNELS, IMAGE_SIZE, type ImageDataset } from './types';

const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/**
 * The most bytes one data set's table may take on the device: WebGPU's default storage-buffer binding limit
 * (128 MiB), which also keeps every pixel index below 2^24, exact where WebGL holds int32 as float32.
 */
export const MAX_DEVICE_TABLE_BYTES = 128 * 1024 * 1024;

/** Bytes the device table of a data set of `count` images takes (float32 pixels plus one padding pixel). */
export function measureDeviceTable(count: number): number {
  return (count * PIXELS + 1) * IMAGE_CHANNELS * 4;
}

/** Whether a data set of `count` images fits the device path (else the host builds its batches). */
export function fitsDevice(count: number): boolean {
  return measureDeviceTable(count) <= MAX_DEVICE_TABLE_BYTES;
}

/** One data set on the device. */
interface DeviceTable {
  /** [count * 1024 + 1, 3] normalised pixels, image-major then row-major; the last row is normalised black. */
  pixels: tf.Tensor2D;
  /** [count] int32. */
  labels: tf.Tensor1D;
}

/** A batch on the device; the caller disposes both tensors. */
export interface DeviceBatch {
  /** [n, 32, 32, 3] float32, normalised (and augmented when an Rng was given). */
  images: tf.Tensor4D;
  /** [n] int32. */
  labels: tf.Tensor1D;
}

/**
 * Gathers batches on the active tfjs backend from tables it uploads once per data set (on first use, so
 * a set that is never evaluated is never uploaded). Owns those tables until dispose().
 */
export interface DeviceBatches {
  /** Images and labels of `indices`; with `rng`, random crop (4-pixel zero padding) and horizontal flip. */
  gather(dataset: ImageDataset, indices: ArrayLike<number>, rng?: Rng): DeviceBatch;
  /** Images only, as gather(). The caller disposes the tensor. */
  gatherImages(dataset: ImageDataset, indices: ArrayLike<number>, rng?: Rng): tf.Tensor4D;
  /** Free every table. */
  dispose(): void;
}

/** Create the device batch builder for data normalised with `stats`. Allocates nothing until first used. */
export function createDeviceBatches(stats: ChannelStats): DeviceBatches {
  const tables = new Map<ImageDataset, DeviceTable>();
  let grid: { rows: tf.Tensor3D; cols: tf.Tensor3D; mirror: tf.Tensor3D } | null = null;

  const tableOf = (dataset: ImageDataset): DeviceTable => {
    let table = tables.get(dataset);
    if (table) return table;
    if (!fitsDevice(dataset.count)) {
      throw new RangeError(`${dataset.count} images take ${measureDeviceTable(dataset.count)} bytes on the device, over ${MAX_DEVICE_TABLE_BYTES}: build batches on the host`);
    }
    const values = new Float32Array((dataset.count * PIXELS + 1) * IMAGE_CHANNELS);
    // Chunked so the host never holds a second copy of a large set.
    const CHUNK = 256;
    for (let start = 0; start < dataset.count; start += CHUNK) {
      const end = Math.min(start + CHUNK, dataset.count);
      const ids = Int32Array.from({ length: end - start }, (_, i) => start + i);
      values.set(assembleBatch(dataset, ids, stats), start * PIXELS * IMAGE_CHANNELS);
    }
    // The padding pixel: what assembleBatch writes where a crop leaves the image (black, normalised).
    const black = assembleBlackPixel(stats);
    values.set(black, dataset.count * PIXELS * IMAGE_CHANNELS);
    table = {
      pixels: tf.tensor2d(values, [dataset.count * PIXELS + 1, IMAGE_CHANNELS]),
      labels: tf.tensor1d(dataset.labels, 'int32'),
    };
    tables.set(dataset, table);
    return table;
  };

  const gridOf = () => {
    grid ??= tf.tidy(() => ({
      rows: tf.range(0, IMAGE_SIZE, 1, 'int32').reshape<tf.Tensor3D>([1, IMAGE_SIZE, 1]),
      cols: tf.range(0, IMAGE_SIZE, 1, 'int32').reshape<tf.Tensor3D>([1, 1, IMAGE_SIZE]),
      // Added to a column when flipped: x → 31 − x.
      mirror: tf.range(IMAGE_SIZE - 1, -IMAGE_SIZE, -2, 'int32').reshape<tf.Tensor3D>([1, 1, IMAGE_SIZE]),
    }));
    return grid;
  };

  const build = (dataset: ImageDataset, indices: ArrayLike<number>, rng: Rng | undefined, withLabels: boolean): { images: tf.Tensor4D; labels?: tf.Tensor1D } => {
    const table = tableOf(dataset);
    const n = indices.length;
    const draws = drawAugmentation(indices, rng);
    const g = gridOf();
    return tf.tidy(() => {
      const params = tf.tensor2d(draws, [n, 4], 'int32');
      const [image, dy, dx, flip] = tf.split(params, 4, 1).map((t) => t.reshape([n, 1, 1]));
      const sy = tf.add(g.rows, dy); // [n, 32, 1]
      const sx = tf.add(tf.add(g.cols, tf.mul(flip, g.mirror)), dx); // [n, 1, 32]
      const inside = tf.logicalAnd(inRange(sy), inRange(sx)); // [n, 32, 32]
      const source = tf.add(tf.add(tf.mul(image, tf.scalar(PIXELS, 'int32')), tf.mul(sy, tf.scalar(IMAGE_SIZE, 'int32'))), sx);
      const padRow = tf.fill([n, IMAGE_SIZE, IMAGE_SIZE], dataset.count * PIXELS, 'int32');
      const rows = tf.where(inside, source, padRow).reshape([n * PIXELS]);
      const images = tf.gather(table.pixels, rows).reshape([n, IMAGE_SIZE, IMAGE_SIZE, IMAGE_CHANNELS]) as tf.Tensor4D;
      if (!withLabels) return { images };
      return { images, labels: tf.gather(table.labels, image.reshape([n])) as tf.Tensor1D };
    });
  };

  return {
    gather: (dataset, indices, rng) => build(dataset, indices, rng, true) as DeviceBatch,
    gatherImages: (dataset, indices, rng) => build(dataset, indices, rng, false).images,
    dispose() {
      for (const t of tables.values()) tf.dispose([t.pixels, t.labels]);
      tables.clear();
      if (grid) tf.dispose([grid.rows, grid.cols, grid.mirror]);
      grid = null;
    },
  };
}

/** 1 where 0 <= v < 32 (bool, same shape as v). */
function inRange(v: tf.Tensor): tf.Tensor {
  return tf.logicalAnd(tf.greaterEqual(v, tf.scalar(0, 'int32')), tf.less(v, tf.scalar(IMAGE_SIZE, 'int32')));
}

/**
 * Per image: [index, dy, dx, flip] as int32, drawn exactly as assembleBatch draws them (dy, then dx, then
 * the flip, image after image), so the two paths consume the Rng identically. Without an Rng: no shift or flip.
 */
export function drawAugmentation(indices: ArrayLike<number>, rng?: Rng): Int32Array {
  const out = new Int32Array(indices.length * 4);
  for (let b = 0; b < indices.length; b++) {
    out[b * 4] = indices[b];
    if (!rng) continue;
    out[b * 4 + 1] = rng.int(2 * CROP_PADDING + 1) - CROP_PADDING;
    out[b * 4 + 2] = rng.int(2 * CROP_PADDING + 1) - CROP_PADDING;
    out[b * 4 + 3] = rng.next() < 0.5 ? 1 : 0;
  }
  return out;
}

/** The normalised value of a black pixel, computed as assembleBatch computes it. */
function assembleBlackPixel(stats: ChannelStats): Float32Array {
  const black: ImageDataset = { images: new Uint8Array(IMAGE_SIZE * IMAGE_SIZE * IMAGE_CHANNELS), labels: new Int32Array(1), classNames: [''], count: 1 };
  return assembleBatch(black, [0], stats).subarray(0, IMAGE_CHANNELS);
}
