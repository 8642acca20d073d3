// The headline numbers of one run after its latest evaluation, with the difference from the CE run when both
// are trained: accuracy, and the test-set counterparts of s and d.
import { formatDelta, formatNumber, formatPercent } from '../lib/format';
import { SERIES_COLORS } from '../runStyle';
import type { RunView } from '../trainerView';

interface Props {
  run: RunView;
  /** The CE run, to compare against (absent for the CE run itself or when only one run is trained). */
  baseline?: RunView;
}

interface Row {
  label: string;
  hint: string;
  value: (r: RunView) => number | undefined;
  percent?: boolean;
  color?: string;
}

const ROWS: Row[] = [
  { label: 'Test accuracy', hint: 'on every test image of the chosen classes', value: (r) => r.report?.accuracy, percent: true },
  { label: 'Train accuracy', hint: 'running, on augmented batches, over the last epoch', value: (r) => r.evaluations[r.evaluations.length - 1]?.train, percent: true },
  { label: 'Same-class cosine', hint: 'mean over test pairs of one class (test-set s)', value: (r) => r.report?.meanSameClassCos, color: SERIES_COLORS.same },
  { label: 'Different-class cosine', hint: 'mean over test pairs of two classes (test-set d); 0 = orthogonal', value: (r) => r.report?.meanDiffClassCos, color: SERIES_COLORS.different },
  { label: 'Class-mean off-diagonal', hint: 'mean cosine between class centroids', value: (r) => r.report?.classMeanOffDiagCos },
];

/** Accuracy differences in percentage points, cosine differences as they are. */
const describeDelta = (delta: number, percent: boolean) => (percent ? `${formatDelta(delta * 100, 0)} pts` : formatDelta(delta));

export function NumbersPanel({ run, baseline }: Props) {
  if (!run.report) return <p className="empty">Appears after the first epoch.</p>;
  const last = run.evaluations[run.evaluations.length - 1];
  return (
    <table className="numbers">
      <thead>
        <tr>
          {/* Mid-run the numbers are those of the last finished epoch, not of the step the curves have reached. */}
          <th scope="col">Test set{last ? `, after epoch ${Math.round(last.epochs)}` : ''}</th>
          <th scope="col">Value</th>
          {baseline && <th scope="col">vs CE</th>}
        </tr>
      </thead>
      <tbody>
        {ROWS.map((row) => {
          const value = row.value(run);
          const base = baseline ? row.value(baseline) : undefined;
          return (
            <tr key={row.label}>
              <th scope="row" title={row.hint}>
                {row.color && <span className="swatch" style={{ background: row.color }} aria-hidden="true" />}
                {row.label}
              </th>
              <td>{row.percent ? formatPercent(value) : formatNumber(value)}</td>
              {baseline && <td className="delta">{value !== undefined && base !== undefined ? describeDelta(value - base, !!row.percent) : '–'}</td>}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
