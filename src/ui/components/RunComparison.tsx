// Saved runs side by side on shared axes: test accuracy per epoch and the batch d (mean different-class cosine)
// over training, one line per run of each saved run, so two experiments can be read against each other.
import { useMemo } from 'react';
import type { SavedRunSummary } from '../../worker/runStore';
import type { RunHistory } from '../../worker/runHistory';
import { mergeLines, type Line } from '../lib/compareSeries';
import { thinByMean } from '../lib/thin';
import { ComparisonChart } from './ComparisonChart';
import type { ChartSeries } from './MetricChart';

export interface ComparedRun {
  summary: SavedRunSummary;
  history: RunHistory;
}

/** Most d points per line. */
const MAX_POINTS = 200;
const PALETTE = ['#0f766e', '#7c3aed', '#b45309', '#be123c', '#1d4ed8', '#4d7c0f', '#6b21a8', '#0e7490'];

/** One line per (saved run, run): x in epochs, so runs of different lengths share the axis. */
function buildLines(compared: ComparedRun[]) {
  const series: ChartSeries[] = [];
  const accuracy: Line[] = [];
  const d: Line[] = [];
  compared.forEach(({ summary, history }, i) => {
    summary.runNames.forEach((runName, r) => {
      const key = `l${i}_${r}`;
      series.push({ key, name: `${summary.name}: ${runName}`, color: PALETTE[(i * 2 + r) % PALETTE.length], dashed: r === 0 && summary.runNames.length > 1 });
      accuracy.push({ key, points: history.evaluations.filter((e) => e.reports[r]).map((e) => ({ x: e.step / summary.stepsPerEpoch, y: e.reports[r].accuracy })) });
      const steps = history.progress.filter((p) => p.metrics[r]).map((p) => ({ x: p.step / summary.stepsPerEpoch, y: p.metrics[r].d }));
      d.push({ key, points: thinByMean(steps, MAX_POINTS, ['x', 'y']) });
    });
  });
  const epochs = Math.max(1, ...compared.map((c) => c.summary.totalSteps / c.summary.stepsPerEpoch));
  return { series, accuracy: mergeLines(accuracy), d: mergeLines(d), epochs };
}

export function RunComparison({ compared, onClose }: { compared: ComparedRun[]; onClose: () => void }) {
  const { series, accuracy, d, epochs } = useMemo(() => buildLines(compared), [compared]);
  return (
    <section className="comparison" aria-label="Comparison of saved runs">
      <header className="comparison-header">
        <h2>Comparing {compared.length} saved runs</h2>
        <button type="button" onClick={onClose}>
          Close comparison
        </button>
      </header>
      <div className="comparison-charts">
        <ComparisonChart title="Test accuracy per epoch" data={accuracy} xKey="x" xLabel="epoch" xMax={epochs} yDomain={[0, 1]} series={series} />
        <ComparisonChart title="d (batch different-class cosine) over training" data={d} xKey="x" xLabel="epoch" xMax={epochs} yDomain={[-0.2, 1]} series={series} />
      </div>
    </section>
  );
}
