// Same-class and different-class pairwise cosines of the embedded sample, overlaid as filled steps on the
// canvas line chart, each as a fraction of its own pairs.
import { memo, useMemo } from 'react';
import { formatNumber } from '../lib/format';
import type { CosineHistogram as Histogram } from '../../core/eval/histogram';
import { SERIES_COLORS } from '../runStyle';
import { MetricChart, type ChartMark } from './MetricChart';

const ZERO: ChartMark[] = [{ x: 0, label: '' }];
const formatCosine = (x: number) => `≈ ${x.toFixed(2)}`;
const formatShare = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}% of pairs` : '–');

/** Memoised: its histogram changes once per epoch, while the page re-renders on every step. */
export const CosineHistogram = memo(function CosineHistogram({ histogram, height = 170 }: { histogram?: Histogram; height?: number }) {
  const data = useMemo(
    () =>
      histogram
        ? histogram.same.map((same, k) => ({ x: (histogram.edges[k] + histogram.edges[k + 1]) / 2, same, different: histogram.different[k] }))
        : [],
    [histogram],
  );
  const top = useMemo(() => Math.max(0.01, ...data.map((d) => Math.max(d.same, d.different))) * 1.05, [data]);
  if (!histogram) return <p className="empty">Appears after the first epoch.</p>;
  return (
    <MetricChart
      title=""
      label={`Cosine histogram: same-class mean ${formatNumber(histogram.sameMean)}, different-class mean ${formatNumber(histogram.differentMean)}`}
      data={data}
      xKey="x"
      xLabel="cosine"
      xMax={1}
      xDomain={[-1, 1]}
      yDomain={[0, top]}
      marks={ZERO}
      height={height}
      formatX={formatCosine}
      formatValue={formatShare}
      series={[
        { key: 'same', name: `same class (${histogram.sameCount} pairs)`, shortName: 'same class', color: SERIES_COLORS.same, fill: 0.3, step: true },
        {
          key: 'different',
          name: `different class (${histogram.differentCount} pairs)`,
          shortName: 'different class',
          color: SERIES_COLORS.different,
          fill: 0.25,
          step: true,
        },
      ]}
    />
  );
});
