// A small line chart drawn on a canvas: axes, grid, vertical marks, solid, dashed or filled-step lines. Used for
// the curves that change while training (a recharts redraw of them took 50-150 ms of main thread; this takes a
// few).
// The geometry (ticks, scales, the point under the pointer) is pure and tested; drawChart paints it.
import { formatTick } from './format';

export interface LineSeries {
  key: string;
  color: string;
  dashed?: boolean;
  /** Fill under the line down to 0 at this opacity (0..1). */
  fill?: number;
  /** Draw as steps, each point's value spanning half way to its neighbours (a histogram of bin centres). */
  step?: boolean;
}

export interface LineMark {
  x: number;
  label: string;
}

/** A value as the hover card shows it. */
export type ValueFormat = (value: number) => string;

export interface LineChartSpec {
  rows: readonly object[];
  xKey: string;
  xLabel: string;
  xDomain: [number, number];
  yDomain: [number, number];
  series: readonly LineSeries[];
  marks: readonly LineMark[];
}

/** Room around the plot for the tick labels, in CSS pixels. */
export const PLOT_MARGIN = { top: 6, right: 12, bottom: 28, left: 34 };

/** Dots on every point below this many rows, as the per-epoch charts have early on. */
const DOTS_BELOW = 20;

/** About `count` evenly spaced ticks from min to max at a 1, 2 or 5 step (times a power of ten); integers only when `integers`. */
export function axisTicks(min: number, max: number, count: number, integers: boolean): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(count, 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  if (integers) step = Math.max(1, Math.round(step));
  const ticks: number[] = [];
  // Rounded to the step's decimals so that 0.1 + 0.2 shows as 0.3.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toFixed(decimals)));
  return ticks;
}

/** The value of `key` in `row` when it is a finite number, else null (missing points are skipped, joined over). */
export function valueAt(row: object, key: string): number | null {
  const v = (row as Record<string, unknown>)[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export interface Plot {
  left: number;
  top: number;
  width: number;
  height: number;
  x(value: number): number;
  y(value: number): number;
}

export function plotArea(spec: Pick<LineChartSpec, 'xDomain' | 'yDomain'>, width: number, height: number): Plot {
  const left = PLOT_MARGIN.left;
  const top = PLOT_MARGIN.top;
  const w = Math.max(1, width - PLOT_MARGIN.left - PLOT_MARGIN.right);
  const h = Math.max(1, height - PLOT_MARGIN.top - PLOT_MARGIN.bottom);
  const [x0, x1] = spec.xDomain;
  const xSpan = x1 - x0 || 1;
  const [y0, y1] = spec.yDomain;
  const ySpan = y1 - y0 || 1;
  return { left, top, width: w, height: h, x: (v) => left + ((v - x0) / xSpan) * w, y: (v) => top + h - ((v - y0) / ySpan) * h };
}

/** The x value at a horizontal position on the plot. */
export function xAtPixel(spec: Pick<LineChartSpec, 'xDomain'>, plot: Plot, px: number): number {
  const [x0, x1] = spec.xDomain;
  return x0 + ((px - plot.left) / plot.width) * (x1 - x0);
}

/** The index of the row whose x is nearest `x` (rows sorted by x), or -1 when there are none. */
export function nearestRow(rows: readonly object[], xKey: string, x: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((valueAt(rows[mid], xKey) ?? -Infinity) < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs((valueAt(rows[lo - 1], xKey) ?? Infinity) - x) <= Math.abs((valueAt(rows[lo], xKey) ?? Infinity) - x)) return lo - 1;
  return lo;
}

/**
 * The (x, y) vertices of a series' line: its finite points in order (missing ones joined over), or for a step
 * series each point's value held from half way to the previous point to half way to the next.
 */
export function seriesPoints(rows: readonly object[], xKey: string, series: Pick<LineSeries, 'key' | 'step'>): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  for (const row of rows) {
    const x = valueAt(row, xKey);
    const y = valueAt(row, series.key);
    if (x !== null && y !== null) points.push([x, y]);
  }
  if (!series.step || points.length < 2) return points;
  const steps: Array<[number, number]> = [];
  points.forEach(([x, y], i) => {
    const left = i === 0 ? x - (points[1][0] - x) / 2 : (points[i - 1][0] + x) / 2;
    const right = i === points.length - 1 ? x + (x - points[i - 1][0]) / 2 : (x + points[i + 1][0]) / 2;
    steps.push([left, y], [right, y]);
  });
  return steps;
}

/** How many rows carry a value for `key`: the points a series draws. */
export function pointCount(rows: readonly object[], key: string): number {
  let n = 0;
  for (const row of rows) if (valueAt(row, key) !== null) n++;
  return n;
}

/** Paint the chart into a context already scaled to CSS pixels; `hover` is a row index to highlight. */
export function drawChart(ctx: CanvasRenderingContext2D, spec: LineChartSpec, width: number, height: number, hover: number | null, font: string): void {
  const plot = plotArea(spec, width, height);
  const [x0, x1] = spec.xDomain;
  const integers = x1 - x0 >= 4;
  const xTicks = axisTicks(x0, x1, Math.max(2, Math.floor(plot.width / 60)), integers);
  const yTicks = axisTicks(spec.yDomain[0], spec.yDomain[1], Math.max(2, Math.floor(plot.height / 28)), false);
  ctx.font = `11px ${font}`;
  ctx.lineWidth = 1;

  // Grid and tick labels.
  ctx.strokeStyle = '#e5e7eb';
  ctx.setLineDash([3, 3]);
  ctx.beginPath();
  for (const t of xTicks) {
    const x = Math.round(plot.x(t)) + 0.5;
    ctx.moveTo(x, plot.top);
    ctx.lineTo(x, plot.top + plot.height);
  }
  for (const t of yTicks) {
    const y = Math.round(plot.y(t)) + 0.5;
    ctx.moveTo(plot.left, y);
    ctx.lineTo(plot.left + plot.width, y);
  }
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.strokeStyle = '#94a3b8';
  ctx.strokeRect(plot.left + 0.5, plot.top + 0.5, plot.width, plot.height);
  // Axis text and marks in greys no series uses, so a series' colour on the canvas is its line alone.
  ctx.fillStyle = '#52525b';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of xTicks) ctx.fillText(formatTick(t), plot.x(t), plot.top + plot.height + 3);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of yTicks) ctx.fillText(formatTick(t), plot.left - 4, plot.y(t));
  // The axis name under the tick labels, at the right.
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.font = `10px ${font}`;
  ctx.fillText(spec.xLabel, plot.left + plot.width, height - 1);

  // Everything inside the plot is clipped to it (values beyond the domain leave through the edge).
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left, plot.top, plot.width, plot.height);
  ctx.clip();

  ctx.strokeStyle = '#94a3b8';
  ctx.fillStyle = '#475569';
  ctx.font = `10px ${font}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.setLineDash([4, 3]);
  for (const m of spec.marks) {
    const x = Math.round(plot.x(m.x)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, plot.top);
    ctx.lineTo(x, plot.top + plot.height);
    ctx.stroke();
    ctx.fillText(m.label, x + 3, plot.top + 2);
  }

  ctx.lineWidth = 1.6;
  ctx.lineJoin = 'round';
  const dots = spec.rows.length < DOTS_BELOW && !spec.series.some((s) => s.step);
  const base = plot.y(Math.max(spec.yDomain[0], 0));
  for (const s of spec.series) {
    const points = seriesPoints(spec.rows, spec.xKey, s);
    if (points.length === 0) continue;
    const line = new Path2D();
    points.forEach(([xv, yv], i) => (i === 0 ? line.moveTo(plot.x(xv), plot.y(yv)) : line.lineTo(plot.x(xv), plot.y(yv))));
    if (s.fill) {
      const area = new Path2D(line);
      area.lineTo(plot.x(points[points.length - 1][0]), base);
      area.lineTo(plot.x(points[0][0]), base);
      area.closePath();
      ctx.globalAlpha = s.fill;
      ctx.fillStyle = s.color;
      ctx.fill(area);
      ctx.globalAlpha = 1;
    }
    ctx.strokeStyle = s.color;
    ctx.fillStyle = s.color;
    ctx.setLineDash(s.dashed ? [5, 3] : []);
    ctx.stroke(line);
    if (dots) {
      ctx.setLineDash([]);
      for (const [xv, yv] of points) {
        ctx.beginPath();
        ctx.arc(plot.x(xv), plot.y(yv), 2.2, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
  }
  ctx.setLineDash([]);

  const row = hover === null ? undefined : spec.rows[hover];
  const hx = row ? valueAt(row, spec.xKey) : null;
  if (row && hx !== null) {
    ctx.strokeStyle = '#94a3b8';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(Math.round(plot.x(hx)) + 0.5, plot.top);
    ctx.lineTo(Math.round(plot.x(hx)) + 0.5, plot.top + plot.height);
    ctx.stroke();
    for (const s of spec.series) {
      const yv = valueAt(row, s.key);
      if (yv === null) continue;
      ctx.fillStyle = s.color;
      ctx.beginPath();
      ctx.arc(plot.x(hx), plot.y(yv), 3.5, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  ctx.restore();
}
