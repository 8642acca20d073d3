// Tests of seeded class/per-class subsets, first-N-per-class selection and channel statistics, on a
// small synthetic set whose images carry their own index, and on the real CIFAR-10 subset.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countPerClass, parseCifarBinary } from '../src/core/data/cifarBinary';
import { computeChannelStats, gatherImages, selectFirstPerClass, selectSubset } from '../src/core/data/subset';
import type { ImageDataset } from '../src/core/data/types';
import { requireSharedData } from './helpers/sharedData';

const cifar10 = requireSharedData('cifar10');

/** A dataset of `classes` x `perClass` images; image i is filled with i (mod 256) in byte 0 and i >> 8 in byte 1. */
function makeDataset(classes: number, perClass: number): ImageDataset {
  const count = classes * perClass;
  const images = new Uint8Array(count * 3072);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % classes; // interleaved classes, as in the official files
    images[i * 3072] = i % 256;
    images[i * 3072 + 1] = i >> 8;
  }
  return { images, labels, classNames: Array.from({ length: classes }, (_, c) => `c${c}`), count };
}

/** Read back the original index stored in each image of a subset. */
function readOriginalIndices(dataset: ImageDataset): number[] {
  return Array.from({ length: dataset.count }, (_, i) => dataset.images[i * 3072] + (dataset.images[i * 3072 + 1] << 8));
}

describe('selectSubset', () => {
  const source = makeDataset(5, 20);

  it('keeps perClass images of every class, each from that class, without repeats', () => {
    const subset = selectSubset(source, { perClass: 7, seed: 1 });
    expect(subset.count).toBe(35);
    expect(Array.from(countPerClass(subset.labels, 5))).toEqual([7, 7, 7, 7, 7]);
    const indices = readOriginalIndices(subset);
    expect(new Set(indices).size).toBe(35);
    indices.forEach((index, i) => expect(source.labels[index]).toBe(subset.labels[i]));
    expect(subset.classNames).toEqual(source.classNames);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = selectSubset(source, { perClass: 7, seed: 42 });
    const b = selectSubset(source, { perClass: 7, seed: 42 });
    const c = selectSubset(source, { perClass: 7, seed: 43 });
    expect(readOriginalIndices(a)).toEqual(readOriginalIndices(b));
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(readOriginalIndices(a)).not.toEqual(readOriginalIndices(c));
    expect(new Set(readOriginalIndices(a))).not.toEqual(new Set(readOriginalIndices(c)));
  });

  it('interleaves classes in the output instead of sorting them', () => {
    const labels = Array.from(selectSubset(source, { perClass: 10, seed: 3 }).labels);
    expect(labels).not.toEqual([...labels].sort((x, y) => x - y));
    let changes = 0;
    for (let i = 1; i < labels.length; i++) if (labels[i] !== labels[i - 1]) changes++;
    expect(changes).toBeGreaterThan(labels.length / 2);
  });

  it('keeps the first N classes and remaps labels', () => {
    const subset = selectSubset(source, { classes: 3, seed: 5 });
    expect(subset.classNames).toEqual(['c0', 'c1', 'c2']);
    expect(subset.count).toBe(60);
    readOriginalIndices(subset).forEach((index, i) => expect(source.labels[index]).toBe(subset.labels[i]));
  });

  it('keeps listed classes in the listed order, labels 0..k-1', () => {
    const subset = selectSubset(source, { classes: [4, 1], perClass: 3, seed: 9 });
    expect(subset.classNames).toEqual(['c4', 'c1']);
    expect(Array.from(countPerClass(subset.labels, 2))).toEqual([3, 3]);
    readOriginalIndices(subset).forEach((index, i) => expect(source.labels[index]).toBe(subset.labels[i] === 0 ? 4 : 1));
  });

  it('picks the same images of a class whatever other classes are chosen', () => {
    const alone = readOriginalIndices(selectSubset(source, { classes: [2], perClass: 4, seed: 11 })).sort((x, y) => x - y);
    const withOthers = selectSubset(source, { classes: [0, 2, 3], perClass: 4, seed: 11 });
    const ofClass2 = readOriginalIndices(withOthers).filter((_, i) => withOthers.labels[i] === 1).sort((x, y) => x - y);
    expect(ofClass2).toEqual(alone);
  });

  it('says how many images a class has when more are asked', () => {
    expect(() => selectSubset(source, { perClass: 21, seed: 1 })).toThrow('class 0 (c0) has 20 images, 21 per class asked');
  });

  it('rejects bad class choices and counts', () => {
    expect(() => selectSubset(source, { classes: 6, seed: 1 })).toThrow(/1\.\.5/);
    expect(() => selectSubset(source, { classes: [1, 1], seed: 1 })).toThrow(/listed twice/);
    expect(() => selectSubset(source, { classes: [7], seed: 1 })).toThrow(/outside 0\.\.4/);
    expect(() => selectSubset(source, { classes: [], seed: 1 })).toThrow(/at least one/);
    expect(() => selectSubset(source, { perClass: 0, seed: 1 })).toThrow(/perClass/);
  });
});

describe('selectFirstPerClass and gatherImages', () => {
  it('takes the first N of each class in dataset order', () => {
    const picked = selectFirstPerClass([1, 0, 1, 1, 0, 2, 0], 3, 2);
    expect(picked.indices).toEqual([0, 1, 2, 4, 5]);
    expect(Array.from(picked.available)).toEqual([3, 3, 1]);
    expect(picked.complete).toBe(false);
    expect(selectFirstPerClass([1, 0, 1, 0], 2, 2).complete).toBe(true);
  });

  it('copies images and labels in the given order', () => {
    const source = makeDataset(2, 3);
    const gathered = gatherImages(source, [4, 1]);
    expect(readOriginalIndices(gathered)).toEqual([4, 1]);
    expect(Array.from(gathered.labels)).toEqual([0, 1]);
  });
});

describe('computeChannelStats', () => {
  it('gives mean and population std per channel in 0..1 units', () => {
    const images = new Uint8Array(2 * 3072);
    for (let p = 0; p < 2048; p++) {
      images[p * 3] = 51; // R constant 0.2
      images[p * 3 + 1] = p % 2 === 0 ? 0 : 255; // G half 0, half 1
      images[p * 3 + 2] = p < 1024 ? 102 : 204; // B 0.4 and 0.8
    }
    const stats = computeChannelStats({ images, count: 2 });
    expect(stats.mean[0]).toBeCloseTo(0.2, 12);
    expect(stats.std[0]).toBeCloseTo(0, 12);
    expect(stats.mean[1]).toBeCloseTo(0.5, 12);
    expect(stats.std[1]).toBeCloseTo(0.5, 12);
    expect(stats.mean[2]).toBeCloseTo(0.6, 12);
    expect(stats.std[2]).toBeCloseTo(0.2, 12);
  });

  it('refuses an empty dataset', () => {
    expect(() => computeChannelStats({ images: new Uint8Array(0), count: 0 })).toThrow(/empty/);
  });

  cifar10.it('matches the statistics of the real CIFAR-10 train subset', () => {
    const train = parseCifarBinary(readFileSync(cifar10.path('train.bin')), 'cifar10');
    const stats = computeChannelStats(train);
    // Close to the canonical full-set constants (0.4914, 0.4822, 0.4465) / (0.2470, 0.2435, 0.2616).
    expect(stats.mean.map((v) => Number(v.toFixed(4)))).toEqual([0.4936, 0.4832, 0.447]);
    expect(stats.std.map((v) => Number(v.toFixed(4)))).toEqual([0.2478, 0.2448, 0.2626]);
  });
});

cifar10.describe('selectSubset on the real CIFAR-10 subset', () => {
  it('draws a 3-class, 50-per-class subset', () => {
    const train = parseCifarBinary(readFileSync(cifar10.path('train.bin')), 'cifar10');
    const names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
    const subset = selectSubset({ ...train, classNames: names }, { classes: [3, 5, 0], perClass: 50, seed: 7 });
    expect(subset.count).toBe(150);
    expect(subset.classNames).toEqual(['cat', 'dog', 'airplane']);
    expect(Array.from(countPerClass(subset.labels, 3))).toEqual([50, 50, 50]);
  });
});
