// Where the session is: its phase, a progress bar over all steps, epoch, speed and time left, and what it
// trains on (the classes the worker loaded), so the data is named before the first epoch draws anything.
import type { Phase } from '../../worker/protocol';
import { formatDuration } from '../lib/format';
import type { TrainerView } from '../trainerView';

const PHASE_TEXT: Record<Phase, string> = {
  idle: 'Starting the training worker…',
  'loading-data': 'Loading data…',
  'selecting-backend': 'Choosing a backend…',
  ready: 'Ready to train',
  running: 'Training',
  paused: 'Paused',
  done: 'Done',
  failed: 'Failed',
};

/** Class names listed in full up to this many; longer lists end with "and N more". */
const NAMES_SHOWN = 10;

function DataLine({ data, dataset }: { data: NonNullable<TrainerView['data']>; dataset: string }) {
  const names = data.classNames;
  const listed = names.slice(0, NAMES_SHOWN).join(', ') + (names.length > NAMES_SHOWN ? ` and ${names.length - NAMES_SHOWN} more` : '');
  return (
    <p className="data-line">
      {dataset}, {names.length} classes: {listed} · {data.trainCount.toLocaleString('en')} training / {data.testCount.toLocaleString('en')} test images
    </p>
  );
}

export function StatusLine({ view, stale, dataset }: { view: TrainerView; stale: boolean; dataset: string }) {
  const total = view.data?.totalSteps ?? 0;
  const perEpoch = view.data?.stepsPerEpoch ?? 1;
  const epochs = total > 0 ? Math.round(total / perEpoch) : 0;
  const left = view.stepsPerSecond > 0 ? (total - view.step) / view.stepsPerSecond : NaN;
  return (
    <div className="status" role="status" data-phase={view.phase}>
      <div className="status-line">
        <strong>{PHASE_TEXT[view.phase]}</strong>
        {view.phaseDetail && view.phase !== 'failed' && <span className="muted"> · {view.phaseDetail}</span>}
        {total > 0 && (
          <span>
            {' '}
            · step {view.step} / {total} · epoch {Math.min(Math.floor(view.step / perEpoch) + (view.step % perEpoch > 0 ? 1 : 0), epochs)} / {epochs}
          </span>
        )}
        {view.phase === 'running' && view.stepsPerSecond > 0 && (
          <span>
            {' '}
            · {view.stepsPerSecond.toFixed(view.stepsPerSecond < 10 ? 2 : 0)} steps/s · {formatDuration(left)} left
          </span>
        )}
      </div>
      {total > 0 && <progress max={total} value={view.step} aria-label="Training progress" />}
      {view.data && <DataLine data={view.data} dataset={dataset} />}
      {stale && <p className="stale">Settings changed: Train or Reset starts a new run with them.</p>}
    </div>
  );
}
