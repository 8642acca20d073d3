// Pairwise cosines against a plain float64 reference, zero rows, and the class ordering.
import { describe, expect, it } from 'vitest';
import { computePairwiseCosines, findClassRuns, gatherRows, normalizeRows, orderByClass } from '../src/core/eval/cosine';

function referenceCosine(a: number[], b: number[]): number {
  const dot = a.reduce((s, v, k) => s + v * b[k], 0);
  const na = Math.max(Math.hypot(...a), 1e-12);
  const nb = Math.max(Math.hypot(...b), 1e-12);
  return dot / (na * nb);
}

describe('computePairwiseCosines', () => {
  it('matches a float64 reference on random rows', () => {
    const n = 7;
    const dim = 5;
    let x = 42;
    const rand = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    const rows = Array.from({ length: n }, () => Array.from({ length: dim }, rand));
    const cos = computePairwiseCosines(Float32Array.from(rows.flat()), dim);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(cos[i * n + j]).toBeCloseTo(referenceCosine(rows[i], rows[j]), 5);
  });

  it('is symmetric with ones on the diagonal; a zero row has cosine 0 with everything', () => {
    const cos = computePairwiseCosines([1, 0, 0, 0, 3, 4], 2);
    const expected = [1, 0, 0.6, 0, 0, 0, 0.6, 0, 1];
    expected.forEach((v, k) => expect(cos[k]).toBeCloseTo(v, 6));
    expect(Array.from(normalizeRows([0, 0], 2))).toEqual([0, 0]);
  });
});

describe('class order', () => {
  it('sorts stably by label and finds where each class starts', () => {
    const labels = [2, 0, 1, 0, 2, 1];
    const order = orderByClass(labels);
    expect(Array.from(order)).toEqual([1, 3, 2, 5, 0, 4]);
    const sorted = Array.from(order, (i) => labels[i]);
    expect(findClassRuns(sorted)).toEqual([
      { label: 0, start: 0, end: 2 },
      { label: 1, start: 2, end: 4 },
      { label: 2, start: 4, end: 6 },
    ]);
    expect(Array.from(gatherRows([10, 11, 20, 21, 30, 31], 2, [2, 0]))).toEqual([30, 31, 10, 11]);
  });
});
