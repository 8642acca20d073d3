// The curves of one run: the loss terms and the batch s and d per logged step, and train / test accuracy per
// epoch. Each series is thinned to a bounded number of points; loss-weight changes are marked.
import { useMemo } from 'react';
import { thinByMean } from '../lib/thin';
import { SERIES_COLORS } from '../runStyle';
import type { LossMark, RunView, StepPoint } from '../trainerView';
import { useThrottled } from '../useThrottled';
import { MetricChart, type ChartMark } from './MetricChart';

/** Most points drawn per series. */
export const MAX_CHART_POINTS = 300;

/**
 * The per-step charts redraw at most this often. They are canvas charts (a few ms each; as recharts SVG each
 * redraw took 50-150 ms of main thread); the throttle keeps fast steps from redrawing them every frame.
 */
export const CHART_REFRESH_MS = 250;

const STEP_KEYS: Array<keyof StepPoint> = ['step', 'total', 'ce', 'opl', 's', 'd', 'accuracy'];

interface Props {
  run: RunView;
  color: string;
  /** The run trains with OPL (otherwise OPL is only logged). */
  trainsOpl: boolean;
  totalSteps: number;
  epochs: number;
  stepsPerEpoch: number;
  lossMarks: LossMark[];
  /** Shared by both runs so the columns compare at a glance. */
  lossMax: number;
  sdMin: number;
}

/** Thinned points sit at the mean step of their block; the hover card names the nearest whole step. */
const formatStep = (x: number) => (Number.isInteger(x) ? String(x) : `≈ ${Math.round(x)}`);

function describeMark(m: LossMark): string {
  return `γ ${m.gamma}, λ ${m.lambda}${m.absNegative ? ', |d|' : ''}`;
}

export function CurvesPanel({ run, color, trainsOpl, totalSteps, epochs, stepsPerEpoch, lossMarks, lossMax, sdMin }: Props) {
  const shownSteps = useThrottled(run.steps, CHART_REFRESH_MS);
  const steps = useMemo(() => thinByMean(shownSteps, MAX_CHART_POINTS, STEP_KEYS), [shownSteps]);
  const evaluations = useMemo(() => thinByMean(run.evaluations, MAX_CHART_POINTS, ['step', 'epochs', 'train', 'test']), [run.evaluations]);
  // A change before the first step is the starting point, not a change.
  const marks: ChartMark[] = lossMarks.filter((m) => m.step > 0).map((m) => ({ x: m.step, label: describeMark(m) }));
  const epochMarks: ChartMark[] = marks.map((m) => ({ ...m, x: m.x / stepsPerEpoch }));
  return (
    <div className="curves">
      <MetricChart
        title="Loss per step"
        data={steps}
        xKey="step"
        xLabel="step"
        xMax={totalSteps}
        formatX={formatStep}
        yDomain={[0, lossMax]}
        marks={marks}
        series={[
          { key: 'total', name: trainsOpl ? 'total (CE + λ·OPL)' : 'total (CE)', color },
          { key: 'ce', name: 'CE', color: SERIES_COLORS.ce, dashed: true },
          { key: 'opl', name: trainsOpl ? 'OPL' : 'OPL (logged only)', color: SERIES_COLORS.opl, dashed: !trainsOpl },
        ]}
      />
      <MetricChart
        title="Batch cosines: s (same class) and d (different class)"
        data={steps}
        xKey="step"
        xLabel="step"
        xMax={totalSteps}
        formatX={formatStep}
        yDomain={[sdMin, 1]}
        marks={marks}
        series={[
          { key: 's', name: 's', color: SERIES_COLORS.same },
          { key: 'd', name: 'd', color: SERIES_COLORS.different },
        ]}
      />
      <MetricChart
        title="Accuracy per epoch"
        data={evaluations}
        xKey="epochs"
        xLabel="epoch"
        xMax={epochs}
        yDomain={[0, 1]}
        marks={epochMarks}
        series={[
          { key: 'train', name: 'train (running)', color, dashed: true },
          { key: 'test', name: 'test', color },
        ]}
      />
    </div>
  );
}
