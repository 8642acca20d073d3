// Same-class and different-class pairwise cosines of the embedded sample, overlaid as step areas (recharts),
// each as a fraction of its own pairs.
import { memo, useMemo } from 'react';
import { Area, AreaChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatNumber, formatTick } from '../lib/format';
import type { CosineHistogram as Histogram } from '../../core/eval/histogram';
import { SERIES_COLORS } from '../runStyle';

/** Memoised: its histogram changes once per epoch, while the page re-renders on every step. */
export const CosineHistogram = memo(function CosineHistogram({ histogram, height = 170 }: { histogram?: Histogram; height?: number }) {
  const data = useMemo(
    () =>
      histogram
        ? histogram.same.map((same, k) => ({ x: (histogram.edges[k] + histogram.edges[k + 1]) / 2, same, different: histogram.different[k] }))
        : [],
    [histogram],
  );
  if (!histogram) return <p className="empty">Appears after the first epoch.</p>;
  return (
    <figure className="chart" aria-label={`Cosine histogram: same-class mean ${formatNumber(histogram.sameMean)}, different-class mean ${formatNumber(histogram.differentMean)}`}>
      <ResponsiveContainer width="100%" height={height}>
        <AreaChart data={data} margin={{ top: 4, right: 12, bottom: 0, left: -12 }}>
          <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
          <XAxis dataKey="x" type="number" domain={[-1, 1]} ticks={[-1, -0.5, 0, 0.5, 1]} tick={{ fontSize: 11 }} height={24} />
          <YAxis tick={{ fontSize: 11 }} width={44} tickFormatter={formatTick} />
          <Tooltip
            formatter={(v) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}% of pairs` : String(v))}
            labelFormatter={(x) => `cosine ≈ ${typeof x === 'number' ? x.toFixed(2) : x}`}
            contentStyle={{ fontSize: 12 }}
          />
          <Legend wrapperStyle={{ fontSize: 11 }} iconSize={10} itemSorter={null} />
          <ReferenceLine x={0} stroke="#94a3b8" />
          <Area type="step" dataKey="same" name={`same class (${histogram.sameCount} pairs)`} stroke={SERIES_COLORS.same} fill={SERIES_COLORS.same} fillOpacity={0.3} isAnimationActive={false} />
          <Area type="step" dataKey="different" name={`different class (${histogram.differentCount} pairs)`} stroke={SERIES_COLORS.different} fill={SERIES_COLORS.different} fillOpacity={0.25} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
});
