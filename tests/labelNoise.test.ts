// Label noise: the rate is realised exactly, every flip changes the label to the right kind of class,
// the counts add up, the same seed gives the same flips, and the input (and so the test split) is untouched.
import { describe, expect, it } from 'vitest';
import { countPerClass } from '../src/core/data/cifarBinary';
import { applyLabelNoise } from '../src/core/data/labelNoise';
import type { ImageDataset } from '../src/core/data/types';

function makeDataset(classes: number, perClass: number): ImageDataset {
  const count = classes * perClass;
  const labels = Int32Array.from({ length: count }, (_, i) => i % classes);
  return { images: new Uint8Array(count * 3072), labels, classNames: Array.from({ length: classes }, (_, c) => `c${c}`), count };
}

describe('applyLabelNoise', () => {
  const source = makeDataset(10, 100);

  it.each(['symmetric', 'pairflip'] as const)('%s flips exactly round(rate·n) labels, each to another class', (kind) => {
    const before = Int32Array.from(source.labels);
    const r = applyLabelNoise(source, { rate: 0.4, kind, seed: 3 });
    expect(r.flipped).toBe(400);
    expect(r.flippedIndices).toHaveLength(400);
    let changed = 0;
    for (let i = 0; i < source.count; i++) if (r.dataset.labels[i] !== source.labels[i]) changed++;
    expect(changed).toBe(400);
    expect(r.flippedPerClass.reduce((a, b) => a + b, 0)).toBe(400);
    const perClass = new Array(10).fill(0);
    for (const i of r.flippedIndices) {
      const from = source.labels[i];
      const to = r.dataset.labels[i];
      expect(to).not.toBe(from);
      if (kind === 'pairflip') expect(to).toBe((from + 1) % 10);
      perClass[from]++;
    }
    expect(r.flippedPerClass).toEqual(perClass);
    expect(Array.from(source.labels)).toEqual(Array.from(before)); // input untouched
    expect(r.dataset.images).toBe(source.images);
  });

  it('symmetric noise reaches every other class about equally often', () => {
    const big = makeDataset(5, 2000);
    const r = applyLabelNoise(big, { rate: 1, kind: 'symmetric', seed: 9 });
    const targets = Array.from({ length: 5 }, () => new Array(5).fill(0));
    for (let i = 0; i < big.count; i++) targets[big.labels[i]][r.dataset.labels[i]]++;
    for (let c = 0; c < 5; c++) {
      expect(targets[c][c]).toBe(0);
      for (let t = 0; t < 5; t++) if (t !== c) expect(Math.abs(targets[c][t] - 500)).toBeLessThan(80); // 2000/4 each, ±~4σ
    }
  });

  it('pair-flip at 40% sends each class only to itself or its successor, 600 of 1000 keeping their clean label', () => {
    const r = applyLabelNoise(source, { rate: 0.4, kind: 'pairflip', seed: 1 });
    let kept = 0;
    for (let c = 0; c < 10; c++) {
      const noisy: number[] = [];
      for (let i = 0; i < source.count; i++) if (source.labels[i] === c) noisy.push(r.dataset.labels[i]);
      const counts = countPerClass(Int32Array.from(noisy), 10);
      expect(counts[c] + counts[(c + 1) % 10]).toBe(100);
      kept += counts[c];
    }
    expect(kept).toBe(600);
  });

  it('is deterministic in the seed', () => {
    const a = applyLabelNoise(source, { rate: 0.25, kind: 'symmetric', seed: 5 });
    const b = applyLabelNoise(source, { rate: 0.25, kind: 'symmetric', seed: 5 });
    const c = applyLabelNoise(source, { rate: 0.25, kind: 'symmetric', seed: 6 });
    expect(Array.from(a.dataset.labels)).toEqual(Array.from(b.dataset.labels));
    expect(Array.from(a.dataset.labels)).not.toEqual(Array.from(c.dataset.labels));
  });

  it('rate 0 changes nothing; a bad rate is a RangeError', () => {
    const r = applyLabelNoise(source, { rate: 0, kind: 'symmetric', seed: 1 });
    expect(r.flipped).toBe(0);
    expect(Array.from(r.dataset.labels)).toEqual(Array.from(source.labels));
    expect(() => applyLabelNoise(source, { rate: 1.5, kind: 'symmetric', seed: 1 })).toThrow(RangeError);
    expect(() => applyLabelNoise(source, { rate: Number.NaN, kind: 'symmetric', seed: 1 })).toThrow(/0\.\.1/);
  });
});
