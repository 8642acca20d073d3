// The class-level panels of the robustness experiments: what the long tail and the label noise did to the
// training set (the worker's counts), and per-class test accuracy of both runs side by side.
import { formatPercent } from '../lib/format';
import { runColor } from '../runStyle';
import type { TrainerView } from '../trainerView';
import { ClassBarChart } from './ClassBarChart';

const formatImages = (v: number) => `${v} images`;

interface Props {
  view: TrainerView;
  /** The settings the session was opened with, for the noise kind and rate. */
  noise: { labelNoise: number; noiseKind: string; imbalance: number };
}

export function ClassPanels({ view, noise }: Props) {
  const data = view.data;
  // A saved run shown without its data carries no class counts.
  if (!data?.shift) return null;
  const { shift, classNames } = data;
  const flippedText =
    noise.labelNoise > 0
      ? `${shift.flipped} of ${data.trainCount} training labels flipped (${noise.noiseKind === 'pairflip' ? 'pair-flip: class c → c + 1' : 'symmetric: to a random other class'}, ${formatPercent(noise.labelNoise)}); test labels are clean.`
      : 'Training labels are clean (no label noise).';
  const largest = Math.max(...shift.classCounts);
  const smallest = Math.min(...shift.classCounts);
  const reported = view.runs.filter((r) => r.report);
  return (
    <section className="class-panels" aria-label="Class balance and per-class accuracy">
      <section className="panel class-panel" aria-label="Training set">
        <h3 className="panel-title">Training set: images and labels per class</h3>
        <p data-testid="flipped-count">{flippedText}</p>
        <p className="class-counts-line">
          {data.trainCount} training images;{' '}
          {noise.imbalance > 1 ? `long tail ρ = ${noise.imbalance}: ${largest} in the largest class, ${smallest} in the smallest.` : `${largest} per class.`}
        </p>
        <ClassBarChart
          classNames={classNames}
          series={[
            { name: 'clean labels', color: '#64748b', values: shift.classCounts },
            ...(shift.flipped > 0 ? [{ name: 'flipped away', color: '#dc2626', values: shift.flippedPerClass }] : []),
          ]}
          yMax={Math.max(1, largest)}
          label="Training images per class"
          format={formatImages}
        />
      </section>
      <section className="panel class-panel" aria-label="Per-class test accuracy">
        <h3 className="panel-title">Per-class test accuracy{reported.length > 1 ? ': CE vs CE + OPL' : ''}</h3>
        {reported.length === 0 ? (
          <p className="empty">Appears after the first epoch.</p>
        ) : (
          <ClassBarChart
            classNames={classNames}
            series={reported.map((r) => ({ name: r.name, color: runColor(r.name), values: r.report!.perClassAccuracy }))}
            yMax={1}
            label="Per-class test accuracy"
            format={formatPercent}
          />
        )}
      </section>
    </section>
  );
}
