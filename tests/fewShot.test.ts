// Few-shot episodes on synthetic features whose answer is known (separated clusters → 1, identical features →
// exactly chance), the interval formula, seeded reproducibility, bad sizes, and splitBaseNovel on real CIFAR-10.
import { describe, expect, it } from 'vitest';
import { runFewShot, splitBaseNovel, type FewShotOptions } from '../src/core';
import { createRng } from '../src/core/rng';
import { IMAGE_BYTES } from '../src/core/data/types';
import { loadDataDir } from '../src/cli/loadDataDir';
import { requireSharedData } from './helpers/sharedData';
import { makeSyntheticSplit } from './helpers/synthetic';

const cifar10 = requireSharedData('cifar10');
const OPTIONS: FewShotOptions = { ways: 5, shots: 1, queries: 5, episodes: 40, seed: 1, classifier: 'centroid' };

/** k classes x perClass rows of dimension dim: class c lies around direction c (plus `noise`), scaled randomly. */
function makeClusters(k: number, perClass: number, dim: number, noise: number, seed = 1) {
  const rng = createRng(seed);
  const features = new Float32Array(k * perClass * dim);
  const labels = new Int32Array(k * perClass);
  for (let i = 0; i < k * perClass; i++) {
    const c = i % k;
    labels[i] = c;
    const scale = 0.5 + 2 * rng.next(); // row norms vary: cosine must not care
    for (let d = 0; d < dim; d++) features[i * dim + d] = scale * ((d === c ? 1 : 0) + noise * rng.normal());
  }
  return { features, labels };
}

describe('runFewShot', () => {
  it.each(['centroid', 'logistic'] as const)('%s: perfectly separated clusters give accuracy 1', (classifier) => {
    const { features, labels } = makeClusters(8, 12, 10, 0.05);
    const r = runFewShot(features, 10, labels, { ...OPTIONS, classifier, episodes: 20 });
    expect(r.accuracies).toHaveLength(20);
    expect(r.meanAccuracy).toBe(1);
    expect(r.ci95).toBe(0);
  });

  it.each(['centroid', 'logistic'] as const)('%s: identical features give exactly chance', (classifier) => {
    const labels = Int32Array.from({ length: 60 }, (_, i) => i % 6);
    const features = new Float32Array(60 * 4).fill(0.3);
    const r = runFewShot(features, 4, labels, { ...OPTIONS, ways: 4, shots: 3, queries: 2, classifier, episodes: 10 });
    for (const a of r.accuracies) expect(a).toBe(0.25);
  });

  it('noisy clusters: between chance and 1, more shots help, and the 95% interval is 1.96·std/√episodes', () => {
    const { features, labels } = makeClusters(10, 30, 12, 0.6);
    const one = runFewShot(features, 12, labels, { ...OPTIONS, shots: 1, episodes: 200 });
    const five = runFewShot(features, 12, labels, { ...OPTIONS, shots: 5, episodes: 200 });
    expect(one.meanAccuracy).toBeGreaterThan(0.3);
    expect(one.meanAccuracy).toBeLessThan(0.95);
    expect(five.meanAccuracy).toBeGreaterThan(one.meanAccuracy);
    const mean = one.accuracies.reduce((a, b) => a + b, 0) / 200;
    const std = Math.sqrt(one.accuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / 200);
    expect(one.meanAccuracy).toBeCloseTo(mean, 12);
    expect(one.ci95).toBeCloseTo((1.96 * std) / Math.sqrt(200), 12);
    expect(one.ci95).toBeGreaterThan(0);
    // every accuracy is a whole number of correct queries out of ways x queries
    for (const a of one.accuracies) expect(Number.isInteger(Math.round(a * 25 * 1e9) / 1e9)).toBe(true);
  });

  it('is reproducible from the seed and sensitive to it', () => {
    const { features, labels } = makeClusters(10, 30, 12, 0.6);
    const a = runFewShot(features, 12, labels, { ...OPTIONS, classifier: 'logistic', episodes: 15, seed: 3 });
    expect(runFewShot(features, 12, labels, { ...OPTIONS, classifier: 'logistic', episodes: 15, seed: 3 })).toEqual(a);
    expect(runFewShot(features, 12, labels, { ...OPTIONS, classifier: 'logistic', episodes: 15, seed: 4 }).accuracies).not.toEqual(a.accuracies);
  });

  it('rejects sizes the data cannot serve, with a clear message', () => {
    const { features, labels } = makeClusters(4, 6, 5, 0.1);
    expect(() => runFewShot(features, 5, labels, { ...OPTIONS, ways: 5 })).toThrow(/5 classes of at least 6 images; 4 have/);
    expect(() => runFewShot(features, 5, labels, { ...OPTIONS, ways: 3, shots: 3, queries: 4 })).toThrow(/at least 7 images; 0 have/);
    expect(() => runFewShot(features, 5, labels, { ...OPTIONS, ways: 1 })).toThrow(/ways must be at least 2/);
    expect(() => runFewShot(features, 4, labels, { ...OPTIONS, ways: 3 })).toThrow(/expected 24 x 4/);
  });
});

describe('splitBaseNovel', () => {
  it('keeps base classes in order and relabels every other image, train then test', () => {
    const data = makeSyntheticSplit(30, 20, 5);
    const { base, novel } = splitBaseNovel(data, 3);
    expect(base.train.classNames).toEqual(['class0', 'class1', 'class2']);
    expect(Array.from(base.train.labels)).toEqual(Array.from(data.train.labels).filter((l) => l < 3));
    expect(novel.classNames).toEqual(['class3', 'class4']);
    expect(novel.count).toBe(12 + 8);
    expect(Array.from(novel.labels)).toEqual([...data.train.labels, ...data.test.labels].filter((l) => l >= 3).map((l) => l - 3));
    expect(() => splitBaseNovel(data, 5)).toThrow(/base classes must be a whole number in 1\.\.4/);
    expect(() => splitBaseNovel(data, 0)).toThrow(RangeError);
  });
});

cifar10.describe('splitBaseNovel on real CIFAR-10', () => {
  it('5 base classes leave the other 5, every image of them, pixels untouched', async () => {
    const data = await loadDataDir(cifar10.dir, { dataset: 'cifar10' });
    const { base, novel } = splitBaseNovel(data, 5);
    expect(base.train.classNames).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer']);
    expect(novel.classNames).toEqual(['dog', 'frog', 'horse', 'ship', 'truck']);
    expect(base.train.count).toBe(5000);
    expect(base.test.count).toBe(1000);
    expect(novel.count).toBe(5 * 1200);
    const counts = new Array(5).fill(0);
    novel.labels.forEach((l) => counts[l]++);
    expect(counts).toEqual([1200, 1200, 1200, 1200, 1200]);
    // the first novel image is the first training image of a novel class, byte for byte
    const first = data.train.labels.findIndex((l) => l >= 5);
    expect(novel.labels[0]).toBe(data.train.labels[first] - 5);
    expect(Buffer.from(novel.images.subarray(0, IMAGE_BYTES)).equals(Buffer.from(data.train.images.subarray(first * IMAGE_BYTES, (first + 1) * IMAGE_BYTES)))).toBe(true);
    // the last novel image is the last test image of a novel class
    let lastTest = data.test.count - 1;
    while (data.test.labels[lastTest] < 5) lastTest--;
    expect(novel.labels[novel.count - 1]).toBe(data.test.labels[lastTest] - 5);
    expect(Buffer.from(novel.images.subarray((novel.count - 1) * IMAGE_BYTES)).equals(Buffer.from(data.test.images.subarray(lastTest * IMAGE_BYTES, (lastTest + 1) * IMAGE_BYTES)))).toBe(true);
    // a few-shot run on raw pixels is a real (if weak) classifier: above chance
    const dim = IMAGE_BYTES;
    const features = Float32Array.from(novel.images.subarray(0, 600 * dim), (v) => v / 255 - 0.5);
    const r = runFewShot(features, dim, novel.labels.subarray(0, 600), { ways: 5, shots: 5, queries: 10, episodes: 20, seed: 1, classifier: 'centroid' });
    expect(r.meanAccuracy).toBeGreaterThan(0.2);
  });
});
