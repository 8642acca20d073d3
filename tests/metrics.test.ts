// Metrics against brute force: pairwise cosines over all N² pairs, and a hand-made confusion matrix.
import { describe, expect, it } from 'vitest';
import { computeClassification, computeSimilarity, argmaxRows } from '../src/core/metrics';
import { createRng } from '../src/core/rng';

function bruteForce(f: number[][], y: number[], classes: number) {
  const unit = f.map((r) => {
    const n = Math.max(Math.hypot(...r), 1e-12);
    return r.map((v) => v / n);
  });
  let same = 0, sameN = 0, diff = 0, diffN = 0;
  for (let i = 0; i < f.length; i++) for (let j = 0; j < f.length; j++) {
    if (i === j) continue;
    const c = unit[i].reduce((a, v, k) => a + v * unit[j][k], 0);
    if (y[i] === y[j]) { same += c; sameN++; } else { diff += c; diffN++; }
  }
  const means = Array.from({ length: classes }, (_, c) => {
    const rows = f.filter((_, i) => y[i] === c);
    return f[0].map((_, k) => rows.reduce((a, r) => a + r[k], 0) / rows.length);
  });
  const cos = (a: number[], b: number[]) => a.reduce((s, v, k) => s + v * b[k], 0) / (Math.hypot(...a) * Math.hypot(...b));
  return { same: same / sameN, diff: diff / diffN, classMeanCos: means.map((a) => means.map((b) => cos(a, b))) };
}

describe('computeSimilarity', () => {
  it('matches brute force over all pairs', () => {
    const rng = createRng(4);
    const classes = 5;
    const n = 60, dim = 7;
    const f = Array.from({ length: n }, (_, i) => Array.from({ length: dim }, (_, k) => rng.normal() + (k === i % classes ? 2 : 0)));
    const y = f.map((_, i) => i % classes);
    const got = computeSimilarity(Float32Array.from(f.flat()), y, dim, classes);
    const want = bruteForce(f, y, classes);
    expect(got.meanSameClassCos).toBeCloseTo(want.same, 5);
    expect(got.meanDiffClassCos).toBeCloseTo(want.diff, 5);
    for (let i = 0; i < classes; i++) for (let j = 0; j < classes; j++) expect(got.classMeanCos[i][j]).toBeCloseTo(want.classMeanCos[i][j], 5);
    const off = want.classMeanCos.flatMap((r, i) => r.filter((_, j) => j !== i));
    expect(got.classMeanOffDiagCos).toBeCloseTo(off.reduce((a, b) => a + b, 0) / off.length, 5);
  });

  it('orthogonal classes give different-class cosine 0 and same-class 1', () => {
    const f = Float32Array.from([1, 0, 2, 0, 0, 3, 0, 1]);
    const got = computeSimilarity(f, [0, 0, 1, 1], 2, 2);
    expect(got.meanSameClassCos).toBeCloseTo(1, 6);
    expect(got.meanDiffClassCos).toBeCloseTo(0, 6);
    expect(got.classMeanOffDiagCos).toBeCloseTo(0, 6);
  });
});

describe('classification metrics', () => {
  it('argmax, accuracy, per-class accuracy and confusion', () => {
    const logits = Float32Array.from([0.1, 0.9, 0, /**/ 2, 1, 0, /**/ 0, 0, 5, /**/ 0, 3, 1]);
    const pred = argmaxRows(logits, 3);
    expect(Array.from(pred)).toEqual([1, 0, 2, 1]);
    const m = computeClassification(pred, [1, 0, 1, 2], 3);
    expect(m.accuracy).toBe(0.5);
    expect(m.confusion).toEqual([[1, 0, 0], [0, 1, 1], [0, 1, 0]]);
    expect(m.perClassAccuracy).toEqual([1, 0.5, 0]);
  });
});
