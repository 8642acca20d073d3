// The comparison of saved runs as an SVG line chart (recharts): it is drawn once when runs are compared, not
// during training, so it can afford recharts' SVG (tooltips, exact text in the PNG). The charts that follow
// training are canvas charts (MetricChart).
import { memo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatNumber, formatTick } from '../lib/format';
import type { MetricChartProps } from './MetricChart';

type Props = Pick<MetricChartProps, 'title' | 'data' | 'xKey' | 'xLabel' | 'xMax' | 'series' | 'yDomain' | 'height'>;

function ComparisonChartView({ title, data, xKey, xLabel, xMax, series, yDomain, height = 220 }: Props) {
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

export const ComparisonChart = memo(ComparisonChartView);
