// The page's one link to the training worker: creates it, sends protocol messages, and folds what comes back
// into a TrainerView, one React update per animation frame however fast the worker reports.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AttackRequest, ExportKind, FewShotRequest, FromTrainer, LabSettings, ToTrainer } from '../worker/protocol';
import { downloadFile } from './lib/download';
import { createFrameBatcher } from './lib/frameBatcher';
import { startProbe } from './probeView';
import { LOSS_KEYS, PROBE_KEYS, sameSettings } from './settings';
import { INITIAL_VIEW, applyTrainerMessage, clearSession, currentLoss, dismissNotice, type LossWeights, type TrainerView } from './trainerView';

/** What to do once the session being (re)built reports 'ready'. */
type PendingAction = 'start' | 'step' | null;

export interface TrainerControls {
  view: TrainerView;
  /** The settings of the current session (what the last init / reset sent), with the loss weights in force. */
  applied: LabSettings;
  /** Whether `settings` differ from the session's, so Train / Step must rebuild the session first. */
  needsReset: (settings: LabSettings) => boolean;
  train: (settings: LabSettings) => void;
  step: (settings: LabSettings) => void;
  pause: () => void;
  reset: (settings: LabSettings) => void;
  /** Replace the session with saved run `runId`, continued from its checkpoint (the worker sends its settings). */
  resume: (runId: string) => void;
  /** Send new loss weights to the live session; they apply from the next step. */
  setLoss: (loss: LossWeights) => void;
  /** Attack the session's current models (the Robustness panel); the result arrives in view.probes.attack. */
  runAttack: (request: AttackRequest) => void;
  /** Few-shot episodes on the current models' features of the novel classes; the result arrives in view.probes.fewShot. */
  runFewShot: (request: FewShotRequest) => void;
  dismiss: (id: number) => void;
  /** Hand the user's own CIFAR files to the worker; its answer arrives as view.files / view.dropped. */
  loadFiles: (files: File[]) => void;
  /** Ask the worker for an export; its files download when they arrive. */
  exportFiles: (what: ExportKind, run?: number) => void;
  /** Show a run file (imported, or a snapshot) in place of the session; a bad file leaves the page as it is. */
  openRun: (file: Blob, source: string, origin: 'import' | 'snapshot', command?: string) => void;
}

const LIVE_PHASES = new Set(['ready', 'running', 'paused']);
const BUILDING_PHASES = new Set(['idle', 'loading-data', 'selecting-backend']);

/**
 * Create the training worker for the page's lifetime and initialise it with `initial`. `onAdopt` receives the
 * settings of a resumed saved run, which the session now has (the page shows them).
 */
export function useTrainer(initial: LabSettings, onAdopt?: (settings: LabSettings) => void): TrainerControls {
  const [view, setView] = useState<TrainerView>(INITIAL_VIEW);
  const viewRef = useRef(view);
  const [sessionSettings, setSessionSettings] = useState(initial);
  const sessionRef = useRef(initial);
  const workerRef = useRef<Worker | null>(null);
  const pending = useRef<PendingAction>(null);
  const adopt = useRef(onAdopt);
  adopt.current = onAdopt;

  const update = useCallback((change: (v: TrainerView) => TrainerView) => {
    viewRef.current = change(viewRef.current);
    setView(viewRef.current);
  }, []);

  const send = useCallback((message: ToTrainer) => workerRef.current?.postMessage(message), []);

  useEffect(() => {
    const worker = new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module' });
    const batcher = createFrameBatcher<FromTrainer>((messages) => {
      for (const m of messages) {
        if (m.type !== 'history' || !m.settings) continue;
        sessionRef.current = m.settings;
        setSessionSettings(m.settings);
        adopt.current?.(m.settings);
      }
      update((v) => messages.reduce(applyTrainerMessage, v));
      const phase = viewRef.current.phase;
      if (phase === 'ready' && pending.current) {
        worker.postMessage({ type: pending.current } satisfies ToTrainer);
        pending.current = null;
      } else if (phase === 'failed') {
        pending.current = null;
      }
    });
    worker.onmessage = (event: MessageEvent<FromTrainer>) => {
      const message = event.data;
      if (message.type === 'exported') for (const f of message.files) downloadFile(f.bytes, f.name, f.type);
      // A run file's settings come with its `history` message, adopted like a resumed run's.
      if (message.type === 'runOpened') pending.current = null;
      batcher.push(message);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      batcher.push({ type: 'error', message: `The training worker stopped: ${event.message || 'its script could not be loaded'}` });
      batcher.push({ type: 'phase', phase: 'failed' });
    };
    worker.onmessageerror = () => batcher.push({ type: 'error', message: 'A message from the training worker could not be read.' });
    workerRef.current = worker;
    // Browser tests only: a way to send the worker what the page never sends (a test fault).
    if (import.meta.env.MODE === 'e2e') (window as unknown as { oplSend: (m: ToTrainer) => void }).oplSend = (m) => worker.postMessage(m);
    worker.postMessage({ type: 'init', settings: sessionRef.current } satisfies ToTrainer);
    return () => {
      batcher.cancel();
      worker.terminate();
      workerRef.current = null;
    };
  }, [update]);

  const applied: LabSettings = { ...sessionSettings, ...currentLoss(view, sessionSettings) };

  const needsReset = useCallback(
    (settings: LabSettings) => {
      const session = { ...sessionRef.current, ...currentLoss(viewRef.current, sessionRef.current) };
      // Loss weights can change inside a live session (setLoss); the analysis settings never need one; anything else does.
      const except = LIVE_PHASES.has(viewRef.current.phase) ? [...LOSS_KEYS, ...PROBE_KEYS] : PROBE_KEYS;
      return !sameSettings(settings, session, except) || viewRef.current.phase === 'failed';
    },
    [],
  );

  const reset = useCallback(
    (settings: LabSettings) => {
      pending.current = null;
      sessionRef.current = settings;
      setSessionSettings(settings);
      send({ type: 'reset', settings });
      // Cleared at once for feedback; the worker's phase messages follow.
      update((v) => ({ ...clearSession(v), phase: 'loading-data', phaseDetail: undefined }));
    },
    [send, update],
  );

  const resume = useCallback(
    (runId: string) => {
      pending.current = null;
      send({ type: 'resume', runId });
      update((v) => ({ ...clearSession(v), phase: 'loading-data', phaseDetail: 'reading the saved run' }));
    },
    [send, update],
  );

  const act = useCallback(
    (action: 'start' | 'step', settings: LabSettings) => {
      const phase = viewRef.current.phase;
      if (phase === 'running') return;
      if (needsReset(settings) || phase === 'done') {
        reset(settings);
        pending.current = action;
      } else if (BUILDING_PHASES.has(phase)) {
        pending.current = action;
      } else {
        send({ type: action });
      }
    },
    [needsReset, reset, send],
  );

  return {
    view,
    applied,
    needsReset,
    train: useCallback((settings: LabSettings) => act('start', settings), [act]),
    step: useCallback((settings: LabSettings) => act('step', settings), [act]),
    pause: useCallback(() => {
      pending.current = null;
      send({ type: 'pause' });
    }, [send]),
    reset,
    resume,
    setLoss: useCallback(
      (loss: LossWeights) => {
        if (LIVE_PHASES.has(viewRef.current.phase)) send({ type: 'setLoss', loss });
      },
      [send],
    ),
    dismiss: useCallback((id: number) => update((v) => dismissNotice(v, id)), [update]),
    exportFiles: useCallback((what: ExportKind, run?: number) => send({ type: 'export', what, run }), [send]),
    openRun: useCallback(
      (file: Blob, source: string, origin: 'import' | 'snapshot', command?: string) => send({ type: 'openRun', file, source, origin, command }),
      [send],
    ),
    loadFiles: useCallback(
      (files: File[]) => {
        send({ type: 'loadFiles', files });
        update((v) => ({ ...v, files: { status: 'reading', fraction: 0, detail: `reading ${files.map((f) => f.name).join(', ')}` } }));
      },
      [send, update],
    ),
    runAttack: useCallback(
      (request: AttackRequest) => {
        const id = viewRef.current.probes.attack.id + 1;
        update((v) => ({ ...v, probes: startProbe(v.probes, 'attack', id) }));
        send({ type: 'attack', id, request });
      },
      [send, update],
    ),
    runFewShot: useCallback(
      (request: FewShotRequest) => {
        const id = viewRef.current.probes.fewShot.id + 1;
        update((v) => ({ ...v, probes: startProbe(v.probes, 'fewShot', id) }));
        send({ type: 'fewShot', id, request });
      },
      [send, update],
    ),
  };
}
