// Train, Pause, Step and Reset. Train and Step rebuild the session first when settings other than the loss
// weights changed since it was built (the worker then trains from step 0 with the new settings).
import type { Phase } from '../../worker/protocol';

interface Props {
  phase: Phase;
  /** Settings differ from the session's, so Train / Step will start over. */
  stale: boolean;
  onTrain: () => void;
  onPause: () => void;
  onStep: () => void;
  onReset: () => void;
}

const BUSY: Phase[] = ['loading-data', 'selecting-backend'];

export function RunControls({ phase, stale, onTrain, onPause, onStep, onReset }: Props) {
  const running = phase === 'running';
  const busy = BUSY.includes(phase);
  return (
    <div className="run-controls" role="group" aria-label="Training controls">
      <button type="button" className="primary" onClick={onTrain} disabled={running} title={stale ? 'Start a new run with the changed settings' : undefined}>
        Train
      </button>
      <button type="button" onClick={onPause} disabled={!running}>
        Pause
      </button>
      <button type="button" onClick={onStep} disabled={running || busy}>
        Step
      </button>
      <button type="button" onClick={onReset} disabled={busy && !stale}>
        Reset
      </button>
    </div>
  );
}
