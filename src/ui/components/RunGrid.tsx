// The panels, one column per run in the run's colour and one row per panel, with how to read the panel
// beside each row, so CE and CE + OPL sit side by side at every level.
import type { ReactNode } from 'react';
import { runColor } from '../runStyle';
import type { RunView, TrainerView } from '../trainerView';
import type { UmapState } from '../useUmap';
import { ClassSimilarityHeatmap } from './ClassSimilarityHeatmap';
import { CosineHistogram } from './CosineHistogram';
import { CurvesPanel } from './CurvesPanel';
import { FeatureMap } from './FeatureMap';
import { NumbersPanel } from './NumbersPanel';
import { PanelBoundary } from './PanelBoundary';
import { PANEL_TITLES, PanelGuide, type PanelId } from './PanelGuide';
import { PanelPngButton } from './PanelPngButton';
import { SampleSimilarityMatrix } from './SampleSimilarityMatrix';
import { useDelayed } from '../useThrottled';

interface Props {
  view: TrainerView;
  umap: UmapState;
}

const trainsOpl = (run: RunView) => /opl/i.test(run.name);

/**
 * Spacing of the epoch-end redraws: the class similarity, sample similarity and histogram of each run change
 * together at an epoch's end; each takes its own slot so that no one main-thread task draws them all.
 */
const STAGGER_MS = 40;

/** Renders `children` with `value` as it was `slot` × STAGGER_MS ms ago (the newest value once it settles). */
function Staggered<T>({ value, slot, children }: { value: T; slot: number; children: (value: T) => ReactNode }) {
  return <>{children(useDelayed(value, slot * STAGGER_MS))}</>;
}

/** Loss axis top shared by the runs: the largest value drawn, rounded up to a half. */
function sharedLossMax(runs: RunView[]): number {
  let max = 0;
  for (const run of runs) for (const p of run.steps) max = Math.max(max, p.total, p.ce, p.opl);
  return Math.max(0.5, Math.ceil(max * 2) / 2);
}

/** s/d axis bottom: 0, or lower when signed cosines go negative. */
function sharedCosineMin(runs: RunView[]): number {
  let min = 0;
  for (const run of runs) for (const p of run.steps) min = Math.min(min, p.s, p.d);
  return Math.floor(min * 10) / 10;
}

export function RunGrid({ view, umap }: Props) {
  const geometry = view.embedding?.geometry ?? [];
  const runs = view.runs;
  const classNames = view.data?.classNames ?? [];
  const perEpoch = view.data?.stepsPerEpoch ?? 1;
  const totalSteps = view.data?.totalSteps ?? 0;
  const epochs = Math.round(totalSteps / perEpoch);
  const lossMax = sharedLossMax(runs);
  const sdMin = sharedCosineMin(runs);
  const baseline = runs.length > 1 ? runs.find((r) => !trainsOpl(r)) : undefined;

  const cells: Record<PanelId, (run: RunView, r: number) => ReactNode> = {
    numbers: (run) => <NumbersPanel run={run} baseline={run === baseline ? undefined : baseline} />,
    curves: (run) => (
      <CurvesPanel
        run={run}
        color={runColor(run.name)}
        trainsOpl={trainsOpl(run)}
        totalSteps={totalSteps}
        epochs={epochs}
        stepsPerEpoch={perEpoch}
        lossMarks={view.lossMarks}
        lossMax={lossMax}
        sdMin={sdMin}
      />
    ),
    heatmap: (run, r) => (
      <Staggered value={run.report?.classMeanCos} slot={1 + r}>
        {(matrix) => <ClassSimilarityHeatmap matrix={matrix} classNames={classNames} />}
      </Staggered>
    ),
    samples: (_run, r) => (
      <Staggered value={geometry[r]} slot={1 + runs.length + r}>
        {(g) => <SampleSimilarityMatrix geometry={g} classNames={classNames} />}
      </Staggered>
    ),
    umap: (_run, r) => <FeatureMap layout={umap.layouts[r]} error={umap.errors[r]} embedding={view.embedding} classNames={classNames} />,
    histogram: (_run, r) => (
      <Staggered value={geometry[r]?.histogram} slot={1 + 2 * runs.length + r}>
        {(h) => <CosineHistogram histogram={h} />}
      </Staggered>
    ),
  };

  if (runs.length === 0) {
    return (
      <section className="run-grid-empty" aria-label="Panels">
        <p className="empty">The panels appear once the training worker has loaded the data.</p>
      </section>
    );
  }
  return (
    <div className="run-grid" style={{ ['--runs' as string]: runs.length }}>
      <div className="run-grid-corner" />
      {runs.map((run) => (
        <h2 key={run.name} className="run-header" style={{ borderColor: runColor(run.name), color: runColor(run.name) }}>
          {run.name}
          <small>{trainsOpl(run) ? 'trained on CE + λ·OPL' : 'trained on CE alone'}</small>
        </h2>
      ))}
      {(Object.keys(cells) as PanelId[]).map((id) => (
        <div key={id} className="run-grid-row" role="group" aria-labelledby={`panel-${id}`}>
          <PanelGuide id={id} />
          {runs.map((run, r) => (
            <section key={run.name} className={`panel panel-${id}`} style={{ borderTopColor: runColor(run.name) }} aria-label={`${run.name}: ${PANEL_TITLES[id]}`}>
              <h3 className="panel-title">
                <span style={{ color: runColor(run.name) }}>{run.name}</span> · {PANEL_TITLES[id]}
                {id !== 'numbers' && <PanelPngButton title={`${run.name} · ${PANEL_TITLES[id]}`} />}
              </h3>
              <PanelBoundary>{cells[id](run, r)}</PanelBoundary>
            </section>
          ))}
        </div>
      ))}
    </div>
  );
}
