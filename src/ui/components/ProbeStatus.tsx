// A probe's progress (what the worker is doing, a bar) or its one-line error, under a panel's Run button.
import type { ProbeState } from '../probeView';

export function ProbeStatus({ state, label }: { state: ProbeState<unknown>; label: string }) {
  if (state.running) {
    return (
      <div className="probe-status" role="status" aria-label={`${label} progress`}>
        <span>{state.detail ?? 'working…'}</span>
        <progress max={1} value={state.fraction ?? 0} />
      </div>
    );
  }
  if (state.error) {
    return (
      <p className="probe-error" role="alert" aria-label={`${label} error`}>
        {state.error}
      </p>
    );
  }
  return null;
}
