// Random labelled images (seeded) for the benchmark and the step profiler: throughput does not depend on
// what the pixels show, and no data set needs to be prepared first.
import type { DatasetSplit, ImageDataset } from '../core/data/types';
import { IMAGE_BYTES } from '../core/data/types';
import { createRng } from '../core/rng';

/** Classes of the random labels (CIFAR-10's count). */
export const RANDOM_CLASSES = 10;

/** Random images and labels: four batches for training, so the sampler wraps as in real training, and one for testing. */
export function makeRandomSplit(batch: number, seed: number): DatasetSplit {
  const rng = createRng(seed);
  const make = (count: number): ImageDataset => {
    const images = new Uint8Array(count * IMAGE_BYTES);
    for (let i = 0; i < images.length; i++) images[i] = rng.int(256);
    const labels = Int32Array.from({ length: count }, () => rng.int(RANDOM_CLASSES));
    return { images, labels, count, classNames: Array.from({ length: RANDOM_CLASSES }, (_, k) => `class${k}`) };
  };
  return { train: make(batch * 4), test: make(batch) };
}
