// The training worker: hosts the core trainer for the page. Loads the data, picks a backend, and drives the
// trainer one step at a time, yielding between steps so pause and setLoss act at once. Talks only through
// ./protocol; every failure becomes an `error` message and the phase 'failed', never silence.
import type { Trainer } from '../core/trainer';
import { activateBackend, listCandidates, markBroken, readMemory, selectBackend, type ActiveBackend } from './backends';
import { cutSubset, loadDataset, type LoadedDataset } from './loadData';
import type { FromTrainer, LabSettings, Phase, ToTrainer } from './protocol';
import { describeBackend, describeData, describeEmbedding, measureStepTime, openTrainer, recordStep, restartRateWindow, takeTrainAccuracy, type Session } from './session';
import { checkSettings } from './trainConfig';

let session: Session | null = null;
/** Bumped by every init / reset: work for an older session is dropped. */
let sessionId = 0;
/** True from `start` until `pause`, a reset, the end, or a failure. */
let running = false;
/** Serialises everything that touches a trainer; pause and setLoss act outside it, at once. */
let chain: Promise<void> = Promise.resolve();
const datasets = new Map<string, Promise<LoadedDataset>>();

const describe = (err: unknown): string => {
  if (err instanceof Error) return err.message;
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message ? message : String(err);
};

function post(message: FromTrainer, transfer: Transferable[] = []): void {
  self.postMessage(message, { transfer });
}

/** Post only while `s` is still the current session (a reset makes its late results stale). */
function emit(s: Session, message: FromTrainer, transfer: Transferable[] = []): void {
  if (s === session) post(message, transfer);
}

function setPhase(phase: Phase, detail?: string): void {
  post({ type: 'phase', phase, detail });
}

function fail(err: unknown): void {
  running = false;
  const message = describe(err);
  post({ type: 'error', message });
  setPhase('failed', message);
}

function exclusive(task: () => Promise<void>): void {
  chain = chain.then(task).catch(fail);
}

/** A macrotask: lets queued messages (pause, setLoss, reset) run between steps. */
const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function disposeQuietly(trainer: Trainer | undefined): void {
  try {
    trainer?.dispose();
  } catch {
    // Tensors on a lost device may refuse to go; they went with the device anyway.
  }
}

function getDataset(name: LabSettings['dataset']): Promise<LoadedDataset> {
  let pending = datasets.get(name);
  if (!pending) {
    pending = loadDataset(name);
    pending.catch(() => datasets.delete(name)); // let a later init retry
    datasets.set(name, pending);
  }
  return pending;
}

/** Race work against the loss of the session's device, so a lost device cannot hang the loop. */
function guard<T>(s: Session, work: Promise<T>): Promise<T> {
  const lost = s.backend.lost;
  if (!lost) return work;
  return Promise.race([work, lost.then((reason): never => { throw new Error(reason); })]);
}

/** Recover when WebGPU loses its device while nothing runs (a running loop sees the loss through guard()). */
function watchDeviceLoss(s: Session): void {
  const active = s.backend;
  void active.lost?.then((reason) => {
    if (s !== session || s.backend !== active || running) return;
    exclusive(async () => {
      if (s === session && s.backend === active) await fallBack(s, new Error(reason));
    });
  });
}

/**
 * Move a session whose backend failed to the next usable one and rebuild its trainer from the same seed.
 * Training restarts at step 0; `data` is sent again so the page clears its charts. Throws when none is left.
 */
async function fallBack(s: Session, err: unknown): Promise<void> {
  const failed = s.backend.name;
  const reason = describe(err);
  markBroken(failed, reason);
  disposeQuietly(s.trainer);
  const tried = [`${failed}: ${reason}`];
  for (const next of listCandidates(s.settings.backend)) {
    let active: ActiveBackend;
    try {
      active = await activateBackend(next);
    } catch (nextErr) {
      markBroken(next, describe(nextErr));
      tried.push(`${next}: ${describe(nextErr)}`);
      continue;
    }
    const fresh = openTrainer({ settings: s.settings, split: s.split, dataMessage: s.dataMessage, backend: active });
    Object.assign(s, fresh);
    emit(s, { type: 'notice', message: `${failed} failed (${reason}); switched to ${next} and restarted training from step 0 with the same seed` });
    emit(s, s.dataMessage);
    emit(s, describeBackend(active, `fallback: ${failed} failed (${reason})`));
    if (!running) emit(s, { type: 'phase', phase: 'ready' });
    watchDeviceLoss(s);
    return;
  }
  throw new Error(`training failed on every backend (${tried.join('; ')})`);
}

async function openSession(settings: LabSettings, id: number): Promise<void> {
  checkSettings(settings);
  setPhase('loading-data', `loading ${settings.dataset}`);
  const data = await getDataset(settings.dataset);
  if (id !== sessionId) return;
  const split = cutSubset(data, settings);
  const dataMessage = describeData(settings, split, data);
  post(dataMessage);
  setPhase('selecting-backend');
  // 'auto' measures the backends once per page on a software renderer; later sessions reuse the result.
  const selection = await selectBackend(settings.backend, (name) => measureStepTime(settings, split, name), (detail) => setPhase('selecting-backend', detail));
  if (id !== sessionId) return;
  for (const failure of selection.failures) post({ type: 'notice', message: `backend unavailable: ${failure}` });
  post(describeBackend(selection.active, selection.reason, selection.measurements));
  session = openTrainer({ settings, split, dataMessage, backend: selection.active });
  watchDeviceLoss(session);
  setPhase('ready');
}

/** Epoch end: test-set evaluation with the epoch's running train accuracy, then the embedding. */
async function reportEpoch(s: Session, step: number, epoch: number): Promise<void> {
  const reports = await guard(s, s.trainer.evaluate('test'));
  emit(s, { type: 'evaluation', step, epoch, reports, trainAccuracy: takeTrainAccuracy(s) });
  if (s.settings.embedCount > 0) {
    const e = await guard(s, s.trainer.embed(s.settings.embedCount));
    const { message, transfer } = describeEmbedding(s, step, e);
    emit(s, message, transfer);
  }
  restartRateWindow(s); // evaluation time is not training time
}

/** One training step with its reports; a backend failure moves the session to the next backend. */
async function advance(s: Session): Promise<void> {
  try {
    const report = await guard(s, s.trainer.step());
    const progress = recordStep(s, report);
    // Read after the step's tensors are gone: a leak shows as growth from one report to the next.
    if (progress) emit(s, { ...progress, memory: readMemory() });
    if (report.epochEnd) await reportEpoch(s, report.step, report.epoch);
  } catch (err) {
    if (s === session) await fallBack(s, err);
  }
}

async function runLoop(s: Session): Promise<void> {
  restartRateWindow(s);
  setPhase('running');
  while (running && s === session && !s.done) {
    await advance(s);
    await yieldToEvents();
  }
  if (s !== session) return;
  running = false;
  setPhase(s.done ? 'done' : 'paused');
}

/** The session to drive, or null after telling the page why there is none. */
function current(): Session | null {
  if (!session) post({ type: 'notice', message: 'nothing to train yet: send init first' });
  else if (session.done) post({ type: 'notice', message: 'this run is finished: reset to train again' });
  else return session;
  return null;
}

function handle(message: ToTrainer): void {
  switch (message.type) {
    case 'init':
    case 'reset': {
      // Detach the old session at once so nothing it still reports reaches the page; free it in turn.
      const previous = session;
      session = null;
      running = false;
      const id = ++sessionId;
      exclusive(async () => {
        disposeQuietly(previous?.trainer);
        try {
          await openSession(message.settings, id);
        } catch (err) {
          if (id === sessionId) throw err;
        }
      });
      return;
    }
    case 'start':
      if (running) return;
      running = true; // set now, so a second start or a step queued behind this one is ignored
      exclusive(async () => {
        const s = running ? current() : null;
        if (s) await runLoop(s);
        else running = false;
      });
      return;
    case 'pause':
      running = false; // the loop stops after the step in flight
      return;
    case 'step':
      if (running) return;
      exclusive(async () => {
        const s = current();
        if (!s) return;
        restartRateWindow(s);
        await advance(s);
        if (s === session && !running) setPhase(s.done ? 'done' : 'paused');
      });
      return;
    case 'setLoss': {
      const s = session;
      if (!s) return;
      // Every run takes γ and |d| (the CE run logs OPL with them); λ only changes the CE + OPL objective.
      s.trainer.config.runs.forEach((_, r) => s.trainer.setLoss(r, message.loss));
      s.settings = { ...s.settings, ...message.loss };
      post({ type: 'lossChanged', step: s.step, loss: { ...message.loss } });
      return;
    }
    default: {
      const unknown: never = message;
      post({ type: 'error', message: `training worker: unknown message ${JSON.stringify(unknown)}` });
    }
  }
}

self.onmessage = (event: MessageEvent<ToTrainer>) => {
  try {
    handle(event.data);
  } catch (err) {
    fail(err);
  }
};
self.addEventListener('error', (event) => fail(event.error ?? event.message));
self.addEventListener('unhandledrejection', (event) => fail(event.reason));
