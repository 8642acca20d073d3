// Small labelled image sets made from a seed, for trainer tests that must run in seconds on any backend.
// Each class has its own mean colour plus noise, so a network can learn them.
import { createRng } from '../../src/core/rng';
import { IMAGE_BYTES, type DatasetSplit, type ImageDataset } from '../../src/core/data/types';

export function makeSyntheticDataset(count: number, numClasses: number, seed: number): ImageDataset {
  const rng = createRng(seed);
  const images = new Uint8Array(count * IMAGE_BYTES);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % numClasses;
    labels[i] = label;
    for (let p = 0; p < IMAGE_BYTES; p++) {
      const c = p % 3;
      const base = 40 + ((label * 70 + c * 50) % 180);
      images[i * IMAGE_BYTES + p] = Math.max(0, Math.min(255, Math.round(base + rng.normal() * 30)));
    }
  }
  return { images, labels, count, classNames: Array.from({ length: numClasses }, (_, k) => `class${k}`) };
}

export function makeSyntheticSplit(trainCount: number, testCount: number, numClasses: number, seed = 5): DatasetSplit {
  return { train: makeSyntheticDataset(trainCount, numClasses, seed), test: makeSyntheticDataset(testCount, numClasses, seed + 1) };
}

/** Deterministic values in [-1, 1) (a small LCG), so a failure reproduces exactly. */
export function lcgValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}
