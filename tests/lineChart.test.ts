// The canvas line chart's geometry: ticks, scales, the row under the pointer, points per series.
import { describe, expect, it } from 'vitest';
import { axisTicks, nearestRow, plotArea, pointCount, PLOT_MARGIN, seriesPoints, valueAt, xAtPixel } from '../src/ui/lib/lineChart';

describe('axisTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten and covers the range', () => {
    expect(axisTicks(0, 1, 5, false)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(axisTicks(0, 690, 6, true)).toEqual([0, 200, 400, 600]);
    expect(axisTicks(-0.2, 1, 6, false)).toEqual([-0.2, 0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(axisTicks(-0.2, 1, 4, false)).toEqual([0, 0.5, 1]);
    expect(axisTicks(0, 2.5, 5, false)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
  });

  it('gives integers only when asked, and never a step below 1 then', () => {
    const ticks = axisTicks(0, 4, 10, true);
    expect(ticks).toEqual([0, 1, 2, 3, 4]);
    for (const t of axisTicks(0, 37, 7, true)) expect(Number.isInteger(t)).toBe(true);
  });

  it('rounds away float error (0.1 + 0.2 shows as 0.3)', () => {
    for (const t of axisTicks(0, 0.9, 9, false)) expect(String(t).length).toBeLessThanOrEqual(4);
  });

  it('returns the one value of an empty range', () => {
    expect(axisTicks(3, 3, 5, false)).toEqual([3]);
  });
});

describe('plotArea', () => {
  it('maps the x range onto the plot and the y domain upside down', () => {
    const plot = plotArea({ xDomain: [0, 100], yDomain: [0, 2] }, 300, 150);
    expect(plot.x(0)).toBe(PLOT_MARGIN.left);
    expect(plot.x(100)).toBe(300 - PLOT_MARGIN.right);
    expect(plot.y(0)).toBe(150 - PLOT_MARGIN.bottom);
    expect(plot.y(2)).toBe(PLOT_MARGIN.top);
    expect(plot.y(1)).toBeCloseTo((plot.y(0) + plot.y(2)) / 2, 10);
  });

  it('maps a domain that does not start at 0, and back from pixels', () => {
    const spec = { xDomain: [-1, 1] as [number, number], yDomain: [0, 1] as [number, number] };
    const plot = plotArea(spec, 234, 100);
    expect(plot.x(-1)).toBe(PLOT_MARGIN.left);
    expect(plot.x(0)).toBe(PLOT_MARGIN.left + plot.width / 2);
    for (const x of [-1, -0.3, 0, 0.8, 1]) expect(xAtPixel(spec, plot, plot.x(x))).toBeCloseTo(x, 10);
  });
});

describe('nearestRow', () => {
  const rows = [{ step: 1 }, { step: 4 }, { step: 10 }, { step: 11 }];

  it('finds the row with the nearest x, ties to the earlier', () => {
    expect(nearestRow(rows, 'step', -5)).toBe(0);
    expect(nearestRow(rows, 'step', 2.4)).toBe(0);
    expect(nearestRow(rows, 'step', 2.5)).toBe(0);
    expect(nearestRow(rows, 'step', 2.6)).toBe(1);
    expect(nearestRow(rows, 'step', 10.4)).toBe(2);
    expect(nearestRow(rows, 'step', 99)).toBe(3);
  });

  it('returns -1 for no rows', () => {
    expect(nearestRow([], 'step', 3)).toBe(-1);
  });
});

describe('seriesPoints', () => {
  const rows = [{ x: 0, y: 1 }, { x: 1, y: null }, { x: 2, y: 3 }, { x: 4, y: 2 }];

  it('joins the finite points in order', () => {
    expect(seriesPoints(rows, 'x', { key: 'y' })).toEqual([[0, 1], [2, 3], [4, 2]]);
  });

  it('holds each value half way to its neighbours as steps', () => {
    expect(seriesPoints(rows, 'x', { key: 'y', step: true })).toEqual([
      [-1, 1], [1, 1],
      [1, 3], [3, 3],
      [3, 2], [5, 2],
    ]);
  });
});

describe('points', () => {
  it('count only finite numbers; missing values are skipped', () => {
    const rows = [{ a: 1 }, { a: null }, { a: Number.NaN }, {}, { a: 0 }, { a: Infinity }];
    expect(pointCount(rows, 'a')).toBe(2);
    expect(valueAt(rows[4], 'a')).toBe(0);
    expect(valueAt(rows[1], 'a')).toBeNull();
  });
});
