// One small line chart (recharts) of already-thinned points, with vertical lines where the loss weights changed.
// Memoised: a chart whose points did not change (accuracy, between epochs) skips the page's per-step render.
import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatNumber, formatTick } from '../lib/format';

export interface ChartSeries {
  key: string;
  name: string;
  color: string;
  dashed?: boolean;
}

export interface ChartMark {
  x: number;
  label: string;
}

interface Props {
  title: string;
  data: readonly object[];
  xKey: string;
  xLabel: string;
  xMax: number;
  series: ChartSeries[];
  yDomain: [number, number];
  marks?: ChartMark[];
  height?: number;
}

function MetricChartView({ title, data, xKey, xLabel, xMax, series, yDomain, marks = [], height = 150 }: Props) {
  return (
    <figure className="chart" aria-label={`${title} chart`}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={data as object[]} margin={{ top: 4, right: 12, bottom: 0, left: -12 }}>
          <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
          <XAxis
            dataKey={xKey}
            type="number"
            domain={[0, Math.max(xMax, 1)]}
            allowDecimals={false}
            tick={{ fontSize: 11 }}
            label={{ value: xLabel, position: 'insideBottomRight', offset: -2, fontSize: 11 }}
            height={28}
          />
          <YAxis domain={yDomain} tick={{ fontSize: 11 }} tickFormatter={formatTick} width={44} allowDataOverflow />
          <Tooltip
            formatter={(value) => (typeof value === 'number' ? formatNumber(value, 3) : String(value))}
            labelFormatter={(x) => `${xLabel} ${typeof x === 'number' ? formatNumber(x, Number.isInteger(x) ? 0 : 1) : x}`}
            contentStyle={{ fontSize: 12 }}
          />
          <Legend wrapperStyle={{ fontSize: 11 }} iconSize={10} itemSorter={null} />
          {marks.map((m) => (
            <ReferenceLine key={`${m.x}-${m.label}`} x={m.x} stroke="#64748b" strokeDasharray="4 3" label={{ value: m.label, position: 'insideTopLeft', fontSize: 10, fill: '#475569' }} />
          ))}
          {series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stroke={s.color}
              strokeWidth={1.6}
              strokeDasharray={s.dashed ? '5 3' : undefined}
              dot={data.length < 20}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Same chart: the same points (by reference; callers memoise them) and equal small props (by value). */
function sameChart(a: Props, b: Props): boolean {
  return (
    a.data === b.data &&
    a.title === b.title &&
    a.xKey === b.xKey &&
    a.xLabel === b.xLabel &&
    a.xMax === b.xMax &&
    a.height === b.height &&
    JSON.stringify([a.series, a.yDomain, a.marks ?? []]) === JSON.stringify([b.series, b.yDomain, b.marks ?? []])
  );
}

export const MetricChart = memo(MetricChartView, sameChart);
