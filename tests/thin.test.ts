// Chart thinning: bounded output, exact block means, stable points as the series grows.
import { describe, expect, it } from 'vitest';
import { thinByMean, thinningBlock } from '../src/ui/lib/thin';

type Row = { step: number; v: number; name: string };
const series = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ step: i + 1, v: i % 2 === 0 ? 1 : 3, name: `p${i}` }));

describe('thinByMean', () => {
  it('returns short series unchanged', () => {
    const rows = series(10);
    expect(thinByMean(rows, 300, ['step', 'v'])).toBe(rows);
  });

  it('never exceeds the budget', () => {
    for (const n of [1, 299, 300, 301, 599, 600, 601, 1000, 12345]) {
      expect(thinByMean(series(n), 300, ['step', 'v']).length).toBeLessThanOrEqual(300);
    }
  });

  it('averages the listed keys over blocks and keeps other fields from the first row', () => {
    const out = thinByMean(series(8), 4, ['step', 'v']);
    expect(out).toEqual([
      { step: 1.5, v: 2, name: 'p0' },
      { step: 3.5, v: 2, name: 'p2' },
      { step: 5.5, v: 2, name: 'p4' },
      { step: 7.5, v: 2, name: 'p6' },
    ]);
  });

  it('averages a partial last block over its own rows and skips non-finite values', () => {
    const rows = [...series(4), { step: 5, v: NaN, name: 'x' }];
    const out = thinByMean(rows, 3, ['step', 'v']);
    expect(out.map((r) => r.v)).toEqual([2, 2, NaN]);
    expect(out[2].step).toBe(5);
  });

  it('keeps the points already drawn stable while the block size stays the same', () => {
    expect(thinningBlock(601, 300)).toBe(4);
    expect(thinningBlock(1200, 300)).toBe(4);
    const a = thinByMean(series(700), 300, ['step', 'v']);
    const b = thinByMean(series(1100), 300, ['step', 'v']);
    expect(b.slice(0, a.length - 1)).toEqual(a.slice(0, -1));
  });
});
