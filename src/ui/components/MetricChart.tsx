// One small line chart of already-thinned points, drawn on a canvas (src/ui/lib/lineChart.ts), with vertical
// lines where the loss weights changed, an HTML legend and the values under the pointer. Memoised: a chart
// whose points did not change (accuracy, between epochs) skips the page's per-step render.
import { memo, useEffect, useRef, useState } from 'react';
import { formatNumber } from '../lib/format';
import { drawChart, nearestRow, plotArea, pointCount, valueAt, xAtPixel, type LineChartSpec, type ValueFormat } from '../lib/lineChart';
import { pointerInCanvas, useCanvas } from '../useCanvas';
import { HoverCard } from './HoverCard';

export interface ChartSeries {
  key: string;
  name: string;
  color: string;
  dashed?: boolean;
  /** Filled down to 0 at this opacity. */
  fill?: number;
  /** Steps between points (bins). */
  step?: boolean;
  /** The name in the hover card, where `name` is long. */
  shortName?: string;
}

export interface ChartMark {
  x: number;
  label: string;
}

export interface MetricChartProps {
  title: string;
  data: readonly object[];
  xKey: string;
  xLabel: string;
  /** The x axis runs from 0 to xMax, unless xDomain is given. */
  xMax: number;
  xDomain?: [number, number];
  series: ChartSeries[];
  yDomain: [number, number];
  marks?: ChartMark[];
  height?: number;
  /** The figure's accessible name; `${title} chart` by default. */
  label?: string;
  /** How the hover card writes x and the series' values. */
  formatX?: ValueFormat;
  formatValue?: ValueFormat;
}

const defaultFormatX: ValueFormat = (x) => formatNumber(x, Number.isInteger(x) ? 0 : 1);
const defaultFormatValue: ValueFormat = (v) => formatNumber(v, 3);

const NO_MARKS: ChartMark[] = [];

/** The element's width in CSS pixels, following resizes. */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

function MetricChartView(props: MetricChartProps) {
  const { title, data, xKey, xLabel, xMax, series, yDomain, marks = NO_MARKS, height = 150, label } = props;
  const { formatX = defaultFormatX, formatValue = defaultFormatValue } = props;
  const xDomain = props.xDomain ?? [0, Math.max(xMax, 1)];
  const figure = useRef<HTMLElement>(null);
  const width = useWidth(figure);
  const [hover, setHover] = useState<{ row: number; left: number; top: number } | null>(null);
  const spec: LineChartSpec = { rows: data, xKey, xLabel, xDomain, yDomain, series, marks };
  const hoverRow = hover !== null && hover.row < data.length ? hover.row : null;
  const canvas = useCanvas(
    (ctx, w, h) => drawChart(ctx, spec, w, h, hoverRow, getComputedStyle(ctx.canvas).fontFamily || 'sans-serif'),
    width,
    height,
    [data, xKey, xLabel, JSON.stringify([xDomain, series, yDomain, marks]), hoverRow],
  );

  const onMove = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const p = pointerInCanvas(event, width, height);
    const plot = plotArea(spec, width, height);
    const row = nearestRow(data, xKey, xAtPixel(spec, plot, p.x));
    setHover(row < 0 ? null : { row, left: p.left, top: p.top });
  };
  const hovered = hoverRow === null ? null : data[hoverRow];
  const hoveredX = hovered ? valueAt(hovered, xKey) : null;

  return (
    <figure className="chart" aria-label={label ?? `${title} chart`} ref={figure}>
      {title && <figcaption>{title}</figcaption>}
      <div className="chart-plot">
        <canvas
          ref={canvas}
          className="line-chart"
          style={{ width: '100%', height }}
          role="img"
          aria-label={`${title}: ${series.map((s) => s.name).join(', ')} against ${xLabel}`}
          onPointerMove={onMove}
          onPointerLeave={() => setHover(null)}
        />
        {hover && hovered && (
          <HoverCard left={hover.left} top={hover.top} before={hover.left > width / 2}>
            <div>
              {xLabel} {hoveredX === null ? '–' : formatX(hoveredX)}
            </div>
            {series.map((s) => (
              <div key={s.key}>
                <span className="swatch" style={{ background: s.color }} aria-hidden="true" />
                {s.shortName ?? s.name}: {formatValue(valueAt(hovered, s.key) ?? Number.NaN)}
              </div>
            ))}
          </HoverCard>
        )}
      </div>
      <ul className="chart-legend" aria-label={`${title} legend`}>
        {series.map((s) => (
          <li key={s.key} data-series={s.key} data-color={s.color} data-points={pointCount(data, s.key)}>
            <span className={s.dashed ? 'swatch swatch-dashed' : 'swatch'} style={s.dashed ? { borderColor: s.color } : { background: s.color }} aria-hidden="true" />
            {s.name}
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** Same chart: the same points (by reference; callers memoise them) and equal small props (by value). */
function sameChart(a: MetricChartProps, b: MetricChartProps): boolean {
  return (
    a.data === b.data &&
    a.title === b.title &&
    a.xKey === b.xKey &&
    a.xLabel === b.xLabel &&
    a.xMax === b.xMax &&
    a.height === b.height &&
    a.label === b.label &&
    a.formatX === b.formatX &&
    a.formatValue === b.formatValue &&
    JSON.stringify([a.xDomain, a.series, a.yDomain, a.marks ?? []]) === JSON.stringify([b.xDomain, b.series, b.yDomain, b.marks ?? []])
  );
}

export const MetricChart = memo(MetricChartView, sameChart);
