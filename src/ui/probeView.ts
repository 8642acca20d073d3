// What the page knows about the Robustness and Few-shot analyses: a pure fold of the worker's probe messages
// (progress, result, error), one state per probe. Results belong to the session's models: a new session clears them.
import type { FromTrainer, Phase, ProbeKind } from '../worker/protocol';

export type AttackOutcome = Omit<Extract<FromTrainer, { type: 'attackResult' }>, 'type'>;
export type FewShotOutcome = Omit<Extract<FromTrainer, { type: 'fewShotResult' }>, 'type'>;

/** One probe: idle, running (with progress), or its last result or error. */
export interface ProbeState<R> {
  /** The id of the latest request; messages for older ones are ignored. */
  id: number;
  running: boolean;
  detail?: string;
  fraction?: number;
  result?: R;
  error?: string;
}

export interface ProbeView {
  attack: ProbeState<AttackOutcome>;
  fewShot: ProbeState<FewShotOutcome>;
}

/** Phases in which the session's models exist and are not being trained: a probe can run now. */
export const PROBE_READY_PHASES: ReadonlySet<Phase> = new Set(['ready', 'paused', 'done']);

export const INITIAL_PROBES: ProbeView = { attack: { id: 0, running: false }, fewShot: { id: 0, running: false } };

type ProbeMessage = Extract<FromTrainer, { type: 'probeProgress' | 'attackResult' | 'fewShotResult' | 'probeError' }>;

/** Mark a probe as asked for (request `id`), keeping its last result on screen until the new one arrives. */
export function startProbe(view: ProbeView, probe: ProbeKind, id: number): ProbeView {
  return { ...view, [probe]: { ...view[probe], id, running: true, detail: 'waiting for the worker', fraction: 0, error: undefined } };
}

/** Fold one probe message into the view; messages of a superseded request change nothing. */
export function applyProbeMessage(view: ProbeView, message: ProbeMessage): ProbeView {
  const probe: ProbeKind = message.type === 'attackResult' ? 'attack' : message.type === 'fewShotResult' ? 'fewShot' : message.probe;
  const state = view[probe];
  if (message.id !== state.id) return view;
  switch (message.type) {
    case 'probeProgress':
      return { ...view, [probe]: { ...state, detail: message.detail, fraction: message.fraction } };
    case 'probeError':
      return { ...view, [probe]: { id: state.id, running: false, result: state.result, error: message.message } };
    case 'attackResult':
    case 'fewShotResult': {
      const { type: _type, ...result } = message;
      return { ...view, [probe]: { id: state.id, running: false, result } };
    }
  }
}
