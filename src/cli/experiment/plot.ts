// Draws the experiment runner's plot as a PNG with pngjs: one or more panels, each with axes, ticks, a
// categorical x axis and series of mean points with ± std error bars, joined by lines, and a legend.
import { PNG } from 'pngjs';
import { drawText, GLYPH_HEIGHT, measureText, setPixel, type RgbaImage } from './rasterText';

type Rgb = [number, number, number];

/** One series of a panel: a value per x category (NaN = no point there). */
export interface PlotSeries {
  name: string;
  means: number[];
  stds: number[];
}

export interface PlotPanel {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Tick labels of the x categories, evenly spaced. */
  categories: string[];
  series: PlotSeries[];
  /** Join a series' points with lines (for an ordered x axis; off for unrelated categories). */
  connect: boolean;
}

export interface PlotSpec {
  title: string;
  panels: PlotPanel[];
}

const MIN_PANEL_WIDTH = 420;
const CATEGORY_WIDTH = 90;
const PANEL_HEIGHT = 300;
const MARGIN = { left: 56, right: 16, top: 40, bottom: 52 };
const TITLE_HEIGHT = 28;
const LEGEND_HEIGHT = 24;
const SERIES_COLORS: Rgb[] = [[31, 119, 180], [214, 39, 40], [44, 160, 44], [148, 103, 189]];
const INK: Rgb = [30, 30, 30];
const GRID: Rgb = [225, 225, 225];

/** Round tick values covering [lo, hi]: steps of 1, 2 or 5 × 10^k, about five of them. */
export function computeTicks(lo: number, hi: number, target = 5): number[] {
  const span = hi - lo || 1;
  const raw = span / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toFixed(10)));
  return ticks;
}

/** The y range of a panel: every mean ± std, widened to round ticks and to include 0 when the data are all ≥ 0. */
function computeYRange(panel: PlotPanel): [number, number] {
  const values = panel.series.flatMap((s) => s.means.flatMap((m, i) => (Number.isFinite(m) ? [m - (s.stds[i] || 0), m + (s.stds[i] || 0)] : [])));
  if (values.length === 0) return [0, 1];
  let lo = Math.min(0, ...values);
  let hi = Math.max(...values);
  if (hi - lo < 1e-6) hi = lo + 1;
  const ticks = computeTicks(lo, hi);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  // widen to whole steps so the axis starts and ends on a tick
  lo = Math.floor(lo / step + 1e-9) * step;
  hi = Math.ceil(hi / step - 1e-9) * step;
  return [lo, hi];
}

function drawLine(img: RgbaImage, x0: number, y0: number, x1: number, y1: number, color: Rgb, thickness = 1): void {
  const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1);
  for (let i = 0; i <= steps; i++) {
    const x = Math.round(x0 + ((x1 - x0) * i) / steps);
    const y = Math.round(y0 + ((y1 - y0) * i) / steps);
    for (let t = 0; t < thickness; t++) setPixel(img, x + (Math.abs(y1 - y0) > Math.abs(x1 - x0) ? t : 0), y + (Math.abs(y1 - y0) > Math.abs(x1 - x0) ? 0 : t), color);
  }
}

function fillRect(img: RgbaImage, x: number, y: number, w: number, h: number, color: Rgb): void {
  for (let dy = 0; dy < h; dy++) for (let dx = 0; dx < w; dx++) setPixel(img, Math.round(x) + dx, Math.round(y) + dy, color);
}

function formatTick(v: number): string {
  return Math.abs(v) < 1e-9 ? '0' : String(Number(v.toFixed(3)));
}

/** A panel's width: wide enough for its categories' labels. */
function measurePanel(panel: PlotPanel): number {
  return Math.max(MIN_PANEL_WIDTH, MARGIN.left + MARGIN.right + panel.categories.length * CATEGORY_WIDTH);
}

/** Draw one panel with its top-left corner at (ox, oy). */
function drawPanel(img: RgbaImage, panel: PlotPanel, ox: number, oy: number): void {
  const panelWidth = measurePanel(panel);
  const left = ox + MARGIN.left;
  const top = oy + MARGIN.top;
  const width = panelWidth - MARGIN.left - MARGIN.right;
  const height = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const [lo, hi] = computeYRange(panel);
  const toY = (v: number) => top + height - ((v - lo) / (hi - lo)) * height;
  const n = panel.categories.length;
  const toX = (i: number, s: number) => left + ((i + 0.5) / n) * width + (s - (panel.series.length - 1) / 2) * 6; // series side by side

  drawText(img, panel.title, ox + (panelWidth - measureText(panel.title)) / 2, oy + 12, INK);
  for (const tick of computeTicks(lo, hi)) {
    if (tick < lo - 1e-9 || tick > hi + 1e-9) continue;
    const y = Math.round(toY(tick));
    drawLine(img, left, y, left + width, y, GRID);
    drawLine(img, left - 4, y, left, y, INK);
    const label = formatTick(tick);
    drawText(img, label, left - 7 - measureText(label), y - 3, INK);
  }
  drawLine(img, left, top, left, top + height, INK);
  drawLine(img, left, top + height, left + width, top + height, INK);
  panel.categories.forEach((cat, i) => {
    const x = Math.round(left + ((i + 0.5) / n) * width);
    drawLine(img, x, top + height, x, top + height + 4, INK);
    drawText(img, cat, x - measureText(cat) / 2, top + height + 8, INK);
  });
  drawText(img, panel.xLabel, left + (width - measureText(panel.xLabel)) / 2, top + height + 26, INK);
  // y label written vertically, one character per line, left of the tick labels
  [...panel.yLabel].forEach((ch, k) => drawText(img, ch, ox + 4, top + k * (GLYPH_HEIGHT + 2), INK));

  panel.series.forEach((series, s) => {
    const color = SERIES_COLORS[s % SERIES_COLORS.length];
    let prev: [number, number] | null = null;
    series.means.forEach((mean, i) => {
      if (!Number.isFinite(mean)) {
        prev = null;
        return;
      }
      const x = Math.round(toX(i, s));
      const y = Math.round(toY(mean));
      const std = series.stds[i] || 0;
      const yHi = Math.round(toY(mean + std));
      const yLo = Math.round(toY(mean - std));
      drawLine(img, x, yHi, x, yLo, color);
      drawLine(img, x - 3, yHi, x + 3, yHi, color);
      drawLine(img, x - 3, yLo, x + 3, yLo, color);
      if (prev && panel.connect) drawLine(img, prev[0], prev[1], x, y, color);
      fillRect(img, x - 2, y - 2, 5, 5, color);
      prev = [x, y];
    });
  });
}

/** Render the plot as PNG bytes: the title, panels side by side, a shared legend of the first panel's series. */
export function renderPlotPng(spec: PlotSpec): Buffer {
  const legend = 'points: mean over seeds, bars: ± 1 std';
  const legendWidth = 16 + spec.panels[0]?.series.reduce((w, s) => w + 48 + measureText(s.name), 0) + measureText(legend) + 24;
  const width = Math.max(legendWidth, spec.panels.reduce((w, p) => w + measurePanel(p), 0));
  const height = TITLE_HEIGHT + PANEL_HEIGHT + LEGEND_HEIGHT;
  const img: RgbaImage = { width, height, data: new Uint8Array(width * height * 4).fill(255) };
  drawText(img, spec.title, (width - measureText(spec.title, 2)) / 2, 6, INK, 2);
  let ox = 0;
  for (const panel of spec.panels) {
    drawPanel(img, panel, ox, TITLE_HEIGHT);
    ox += measurePanel(panel);
  }
  let x = 16;
  const y = TITLE_HEIGHT + PANEL_HEIGHT + 6;
  (spec.panels[0]?.series ?? []).forEach((series, s) => {
    const color = SERIES_COLORS[s % SERIES_COLORS.length];
    drawLine(img, x, y + 3, x + 18, y + 3, color);
    fillRect(img, x + 7, y + 1, 5, 5, color);
    drawText(img, series.name, x + 24, y, INK);
    x += 24 + measureText(series.name) + 24;
  });
  drawText(img, legend, width - measureText(legend) - 12, y, INK);
  const png = new PNG({ width, height });
  png.data = Buffer.from(img.data);
  return PNG.sync.write(png);
}
