// A small SVG bar chart with one group of bars per class (one bar per series), for per-class numbers such
// as training counts or test accuracy. Draws only what it is given; computes nothing beyond the scale.
import { memo } from 'react';
import { formatTick } from '../lib/format';

export interface BarSeries {
  name: string;
  color: string;
  /** One value per class; NaN or undefined draws no bar. */
  values: ReadonlyArray<number | undefined>;
}

interface Props {
  classNames: string[];
  series: BarSeries[];
  /** Top of the y axis (1 for accuracies). */
  yMax: number;
  /** Accessible name of the figure. */
  label: string;
  /** How a value reads in the bar's tooltip. */
  format: (value: number) => string;
  height?: number;
}

const MARGIN = { top: 6, right: 6, bottom: 56, left: 34 };
const MIN_GROUP = 14;

/** Same bars: equal names, colours and values (the page rebuilds the arrays on every step; the numbers change per epoch). */
function sameBars(a: Props, b: Props): boolean {
  const sameList = <T,>(x: ReadonlyArray<T>, y: ReadonlyArray<T>) => x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
  return (
    a.yMax === b.yMax && a.label === b.label && a.height === b.height && a.format === b.format && sameList(a.classNames, b.classNames) &&
    a.series.length === b.series.length &&
    a.series.every((s, i) => s.name === b.series[i].name && s.color === b.series[i].color && sameList(s.values, b.series[i].values))
  );
}

/** Memoised on its values (see sameBars): redrawn when a count or an accuracy changes, not on every step. */
export const ClassBarChart = memo(function ClassBarChart({ classNames, series, yMax, label, format, height = 190 }: Props) {
  const groupWidth = Math.max(MIN_GROUP, Math.min(48, 560 / Math.max(1, classNames.length)));
  const width = MARGIN.left + MARGIN.right + groupWidth * classNames.length;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const barWidth = Math.max(2, (groupWidth - 4) / Math.max(1, series.length));
  const toY = (v: number) => MARGIN.top + plotHeight - (Math.min(v, yMax) / yMax) * plotHeight;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * yMax);
  const showNames = groupWidth >= 30;
  return (
    <figure className="class-bars" aria-label={label}>
      <svg width={width} height={height} role="img" aria-label={label}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={MARGIN.left} x2={width - MARGIN.right} y1={toY(t)} y2={toY(t)} stroke="#e5e7eb" />
            <text x={MARGIN.left - 4} y={toY(t) + 3} fontSize={10} textAnchor="end" fill="#64748b">
              {formatTick(t)}
            </text>
          </g>
        ))}
        {classNames.map((name, c) => {
          const x0 = MARGIN.left + c * groupWidth + 2;
          return (
            <g key={name}>
              {series.map((s, k) => {
                const v = s.values[c];
                if (v === undefined || !Number.isFinite(v)) return null;
                return (
                  <rect key={s.name} className="class-bar" data-series={s.name} x={x0 + k * barWidth} y={toY(v)} width={barWidth - 1} height={toY(0) - toY(v)} fill={s.color}>
                    <title>{`${name}, ${s.name}: ${format(v)}`}</title>
                  </rect>
                );
              })}
              <text
                x={x0 + (groupWidth - 4) / 2}
                y={height - MARGIN.bottom + 12}
                fontSize={10}
                textAnchor={showNames ? 'end' : 'middle'}
                transform={showNames ? `rotate(-35 ${x0 + (groupWidth - 4) / 2} ${height - MARGIN.bottom + 12})` : undefined}
                fill="#334155"
              >
                {showNames ? name : c}
              </text>
            </g>
          );
        })}
        <line x1={MARGIN.left} x2={width - MARGIN.right} y1={toY(0)} y2={toY(0)} stroke="#334155" />
      </svg>
      {series.length > 1 && (
        <figcaption className="class-bars-legend">
          {series.map((s) => (
            <span key={s.name}>
              <span className="swatch" style={{ background: s.color }} aria-hidden="true" />
              {s.name}
            </span>
          ))}
        </figcaption>
      )}
    </figure>
  );
}, sameBars);
