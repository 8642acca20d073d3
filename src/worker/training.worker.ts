// The training worker: hosts the core trainer for the page. Loads the data, picks a backend, and drives the
// trainer one step at a time, yielding between steps so pause and setLoss act at once. Talks only through
// ./protocol; every failure becomes an `error` message and the phase 'failed', never silence. Sessions are saved
// as they train (./runSaver): a checkpoint every epoch, which a NaN, a lost device or a reload resumes from.
import type { StepReport, Trainer } from '../core/trainer';
import { activateBackend, configureWasm, listCandidates, markBroken, readMemory, selectBackend, type ActiveBackend } from './backends';
import { readDroppedData } from './droppedData';
import { describeOutOfMemory, isOutOfMemory } from './faults';
import { describeDataMismatch, type SavedRun } from '../core/io/runFile';
import { cutSubset, loadDataset, type LoadedDataset } from './loadData';
import type { ExportKind, FromTrainer, LabSettings, Phase, ProbeKind, ToTrainer } from './protocol';
import { runAttackProbe, runFewShotProbe } from './probes';
import { exportSession } from './runExport';
import { describeSavedRun, findConfigDifference, readRunBlob, readRunSettings } from './runImport';
import { recordInHistory } from './runHistory';
import { createRunSaver } from './runSaver';
import {
  describeBackend, describeData, describeEmbedding, describeHistory, describeOrigin, measureStepTime, nameRun, openTrainer, recordStep,
  restartRateWindow, takeTrainAccuracy, type Session, type SessionOrigin,
} from './session';
import { checkSettings } from './trainConfig';

let session: Session | null = null;
/** Bumped by every init / reset: work for an older session is dropped. */
let sessionId = 0;
/** True from `start` until `pause`, a reset, the end, or a failure. */
let running = false;
/** Serialises everything that touches a trainer; pause and setLoss act outside it, at once. */
let chain: Promise<void> = Promise.resolve();
const datasets = new Map<string, Promise<LoadedDataset>>();
const saver = createRunSaver((message) => post(message));

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

/**
 * Detach the current session at once, so nothing it still reports reaches the page, and free its trainer in turn
 * (behind whatever work on it is queued). Returns the id of the session that replaces it.
 */
function detachSession(): number {
  const previous = session;
  session = null;
  running = false;
  exclusive(async () => disposeQuietly(previous?.trainer));
  return ++sessionId;
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
 * Rebuild a session's trainer from its last checkpoint (step 0 when it has none) on the active backend, and send
 * the page the curves up to there. Loss weights set after the checkpoint stay in force.
 */
function rollBack(s: Session): void {
  disposeQuietly(s.trainer);
  const step = s.checkpoint?.step ?? 0;
  const lossChangedSince = s.history.lossChanges.some((c) => c.step > step);
  Object.assign(s, openTrainer(s, describeOrigin(s)));
  const loss = { gamma: s.settings.gamma, lambda: s.settings.lambda, absNegative: s.settings.absNegative };
  s.trainer.config.runs.forEach((_, r) => s.trainer.setLoss(r, loss));
  if (lossChangedSince) s.history.lossChanges.push({ step, loss });
  emit(s, describeHistory(s));
}

/** A step whose metrics came back NaN or Inf: stop, roll the weights back to the last good checkpoint, say why. */
function stopOnNonFinite(s: Session, report: StepReport): void {
  running = false;
  const names = report.nonFinite.map((r) => s.dataMessage.runNames[r] ?? `run ${r + 1}`);
  const which = names.length > 1 ? `${names.join(' and ')} runs' losses` : `${names[0]} run's loss`;
  rollBack(s);
  const back = s.checkpoint ? `the weights are back at the checkpoint of step ${s.step}` : 'the weights are back at their initial values (step 0)';
  emit(s, {
    type: 'notice',
    tone: 'warning',
    message:
      `Training paused: the ${which} became NaN or infinite at step ${report.step}; ${back}. ` +
      `Try a lower learning rate (now ${s.settings.lr}) or a smaller λ, then Reset.`,
  });
}

/**
 * Move a session whose backend failed to the next usable one and rebuild its trainer there from the session's
 * last checkpoint (step 0 when it has none); the page gets the curves up to there. Throws when none is left.
 */
async function fallBack(s: Session, err: unknown): Promise<void> {
  const failed = s.backend.name;
  const reason = describe(err);
  // A configuration too large for the device fails the same way elsewhere: say so rather than walk the backends.
  if (isOutOfMemory(err)) throw new Error(describeOutOfMemory(s.settings, failed, err));
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
    s.backend = active;
    rollBack(s);
    const from = s.checkpoint ? `continued from the checkpoint at step ${s.step}` : 'restarted training from step 0 with the same seed';
    emit(s, { type: 'notice', message: `${failed} failed (${reason}); switched to ${next} and ${from}` });
    emit(s, describeBackend(active, `fallback: ${failed} failed (${reason})`));
    if (!running) emit(s, { type: 'phase', phase: s.step > 0 ? 'paused' : 'ready' });
    watchDeviceLoss(s);
    return;
  }
  throw new Error(`training failed on every backend (${tried.join('; ')})`);
}

/** Open a session for `settings`: at step 0, or continuing `origin` (a saved run) from its checkpoint. */
async function openSession(settings: LabSettings, id: number, origin?: SessionOrigin): Promise<void> {
  checkSettings(settings);
  setPhase('loading-data', `loading ${settings.dataset}`);
  const data = await getDataset(settings.dataset);
  if (id !== sessionId) return;
  const { split, shift } = cutSubset(data, settings);
  const dataMessage = describeData(settings, split, data, shift);
  post(dataMessage);
  setPhase('selecting-backend');
  await configureWasm(); // the defaults, or what an init asked for, before the wasm backend can start
  // 'auto' measures the backends once per page on a software renderer; later sessions reuse the result.
  const selection = await selectBackend(settings.backend, (name) => measureStepTime(settings, split, name), (detail) => setPhase('selecting-backend', detail));
  if (id !== sessionId) return;
  for (const failure of selection.failures) post({ type: 'notice', message: `backend unavailable: ${failure}` });
  post(describeBackend(selection.active, selection.reason, selection.measurements));
  const s = openTrainer({ settings, split, dataMessage, backend: selection.active }, origin);
  session = s;
  watchDeviceLoss(s);
  if (!origin) {
    setPhase('ready');
    return;
  }
  post({ ...describeHistory(s), settings });
  if (s.embedding) {
    const e = s.embedding;
    const { message, transfer } = describeEmbedding(s, e.step, { ...e, features: e.features.map((f) => f.slice()), labels: e.labels.slice() });
    post(message, transfer);
  }
  post({ type: 'notice', message: `Resumed “${s.runName}” at step ${s.step} of ${s.trainer.totalSteps}, from its checkpoint.` });
  setPhase(s.done ? 'done' : 'paused');
}

/** Read a saved run and open a session continuing it from its checkpoint. */
async function resumeSession(runId: string, id: number): Promise<void> {
  setPhase('loading-data', 'reading the saved run');
  const stored = await saver.readRun(runId);
  if (!stored) throw new Error('that saved run is gone (deleted in another tab?)');
  if (!stored.checkpoint) throw new Error(`“${stored.summary.name}” has no checkpoint yet (it was saved before its first epoch ended); train it again instead`);
  const { summary, checkpoint } = stored;
  // The loss weights the checkpoint trained with (the summary may hold later ones); every run carries them.
  const { gamma, lambda, absNegative } = checkpoint.state.runs[checkpoint.state.runs.length - 1].loss;
  await openSession({ ...summary.settings, gamma, lambda, absNegative }, id, {
    runId: summary.id,
    runName: summary.name,
    createdAt: summary.createdAt,
    history: stored.history,
    checkpoint,
    savedCheckpointStep: checkpoint.step,
    embedding: stored.embedding,
  });
}

/** Give a session its saved-run identity when it trains its first step. */
function startSaving(s: Session): void {
  if (s.runId) return;
  s.runId = `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  s.runName = nameRun(s.settings, s.dataMessage.runNames);
  s.createdAt = new Date().toISOString();
}

/** Epoch end: test-set evaluation with the epoch's running train accuracy, then the embedding (one forward pass). */
async function reportEpoch(s: Session, step: number, epoch: number): Promise<void> {
  const embedCount = s.settings.embedCount;
  const { reports, embedding } =
    embedCount > 0 ? await guard(s, s.trainer.evaluateAndEmbed(embedCount)) : { reports: await guard(s, s.trainer.evaluate('test')), embedding: null };
  const evaluation = { type: 'evaluation' as const, step, epoch, reports, trainAccuracy: takeTrainAccuracy(s) };
  recordInHistory(s.history, evaluation);
  emit(s, evaluation);
  if (embedding) {
    // Copies for saving: the message transfers the originals.
    const { features, labels, indices, dim } = embedding;
    s.embedding = { step, features: features.map((f) => f.slice()), labels: labels.slice(), indices, dim };
    const { message, transfer } = describeEmbedding(s, step, embedding);
    emit(s, message, transfer);
  }
  // The checkpoint: held here for rollbacks and fallbacks, and saved (one transaction replacing the last one).
  s.checkpoint = { step, state: await guard(s, s.trainer.captureState()) };
  void saver.saveCheckpoint(s, s.checkpoint);
  restartRateWindow(s); // evaluation time is not training time
}

/** One training step with its reports; a backend failure moves the session to the next backend. */
async function advance(s: Session): Promise<void> {
  try {
    startSaving(s);
    const report = await guard(s, s.trainer.step());
    if (report.nonFinite.length > 0) {
      stopOnNonFinite(s, report);
      return;
    }
    const progress = recordStep(s, report);
    if (progress) {
      recordInHistory(s.history, progress);
      // Memory is read after the step's tensors are gone: a leak shows as growth from one report to the next.
      emit(s, { ...progress, memory: readMemory() });
      saver.saveProgress(s);
    }
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
    await runBetweenSteps();
    await yieldToEvents();
  }
  await runBetweenSteps(); // asked for during the last step
  if (s !== session) return;
  running = false;
  saver.saveProgress(s, true);
  setPhase(s.done ? 'done' : 'paused');
}

/** Work that reads the trainer (exports) asked for while it trains: done between two steps of the loop. */
const betweenSteps: Array<() => Promise<void>> = [];

async function runBetweenSteps(): Promise<void> {
  while (betweenSteps.length > 0) await betweenSteps.shift()?.();
}

/** Run `task` on the trainer now if nothing trains, else between the next two steps. */
function withTrainer(task: () => Promise<void>): void {
  if (running) betweenSteps.push(task);
  else exclusive(task);
}

/** Make an export of the current session and send its files; a failure is one line, nothing else changes. */
async function exportFiles(what: ExportKind, run: number): Promise<void> {
  const s = session;
  try {
    if (!s) throw new Error('no trained session to export here (a run file shown without its data cannot be exported again)');
    const files = await exportSession(s, what, run);
    post({ type: 'exported', what, files }, files.map((f) => f.bytes.buffer as ArrayBuffer));
  } catch (err) {
    post({ type: 'exportFailed', what, message: describe(err) });
  }
}

/** Why a saved run cannot continue here (null: it can): no state, or the data it trained on is not this data. */
async function findWhyNotResumable(run: SavedRun, settings: LabSettings): Promise<string | null> {
  if (!run.state) return 'it holds metrics only, no model state';
  const config = findConfigDifference(run, settings);
  if (config) return config;
  let data: LoadedDataset;
  try {
    data = await getDataset(settings.dataset);
  } catch {
    return `its data set (${settings.dataset}) is not here`;
  }
  try {
    const mismatch = describeDataMismatch(run, cutSubset(data, settings).split);
    return mismatch && `the data here is not the data it trained on (it was ${mismatch})`;
  } catch (err) {
    return `the data here does not fit it (${describe(err)})`;
  }
}

/**
 * Show a run file in place of the session: continued from its state when its data is here, else its panels
 * only. The file is read and checked first; a bad one is one line and the session is left as it was.
 */
async function openRunFile(m: Extract<ToTrainer, { type: 'openRun' }>): Promise<void> {
  let run: SavedRun;
  let settings: LabSettings;
  try {
    run = await readRunBlob(m.file);
    settings = readRunSettings(run);
  } catch (err) {
    post({ type: 'openRunFailed', source: m.source, message: describe(err) });
    return;
  }
  const notHere = await findWhyNotResumable(run, settings);
  const id = detachSession();
  exclusive(async () => {
    let why = notHere;
    if (!why && run.state) {
      const checkpoint = { step: run.state.step, state: run.state };
      const origin = { runId: null, runName: run.name, createdAt: run.savedAt, history: run.history, checkpoint, savedCheckpointStep: null, embedding: run.embedding };
      try {
        await openSession(settings, id, origin);
      } catch (err) {
        why = `it could not continue here (${describe(err)})`;
      }
    }
    if (id !== sessionId) return;
    if (why) {
      session = null;
      const { messages, transfer } = describeSavedRun(run, settings);
      for (const message of messages) post(message, message.type === 'embedding' ? transfer : []);
      setPhase('done', 'a saved run, shown without training');
    }
    const { origin, source, command } = m;
    post({ type: 'runOpened', origin, source, command, name: run.name, savedAt: run.savedAt, settings, resumable: !why, why: why ?? undefined });
  });
}

/** Bumped by every drop: a newer drop supersedes one still being read. */
let dropId = 0;

/**
 * Read dropped files beside whatever runs (they touch no trainer); on success they replace their data set for
 * later sessions, on failure nothing changes and the page gets one line.
 */
async function loadFiles(files: File[]): Promise<void> {
  const id = ++dropId;
  let lastPost = 0;
  try {
    const { data, source } = await readDroppedData(files, (fraction, detail) => {
      const now = performance.now();
      if (id === dropId && (now - lastPost > 100 || fraction >= 1)) {
        lastPost = now;
        post({ type: 'filesProgress', fraction, detail });
      }
    });
    if (id !== dropId) return;
    const { manifest } = data;
    datasets.set(manifest.dataset, Promise.resolve(data));
    post({
      type: 'filesLoaded',
      dataset: manifest.dataset,
      source,
      classNames: [...manifest.classNames],
      count: { train: manifest.train.count, test: manifest.test.count },
      perClass: { train: manifest.train.perClass, test: manifest.test.perClass },
    });
  } catch (err) {
    if (id !== dropId) return;
    post({ type: 'filesFailed', message: `could not use the dropped files: ${describe(err)}` });
  }
}

/**
 * Run a probe on the current session's models, between steps (queued behind a running loop). A failure is the
 * probe's own `probeError`, not the session's: training can go on.
 */
function runProbe(probe: ProbeKind, id: number, work: (s: Session) => Promise<FromTrainer>): void {
  exclusive(async () => {
    const s = session;
    if (!s) {
      post({ type: 'probeError', probe, id, message: 'no trained models yet: press Train first' });
      return;
    }
    try {
      const message = await guard(s, work(s));
      emit(s, message);
    } catch (err) {
      emit(s, { type: 'probeError', probe, id, message: describe(err) });
    }
    restartRateWindow(s); // probe time is not training time
  });
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
    case 'reset':
    case 'resume': {
      const id = detachSession();
      exclusive(async () => {
        try {
          if (message.type === 'init' && message.wasm) await configureWasm(message.wasm);
          if (message.type === 'resume') await resumeSession(message.runId, id);
          else await openSession(message.settings, id);
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
        await runBetweenSteps();
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
      const changed = { type: 'lossChanged' as const, step: s.step, loss: { ...message.loss } };
      recordInHistory(s.history, changed);
      post(changed);
      return;
    }
    case 'loadFiles':
      void loadFiles(message.files);
      return;
    case 'export':
      withTrainer(() => exportFiles(message.what, message.run ?? 0));
      return;
    case 'openRun':
      void openRunFile(message);
      return;
    case 'fault':
      // Browser tests only: an error nothing catches, the way a bug would surface.
      if (import.meta.env.MODE !== 'e2e') return;
      if (message.kind === 'throw') {
        setTimeout(() => {
          throw new Error('test fault: an uncaught error in the training worker');
        });
      } else {
        void Promise.reject(new Error('test fault: an unhandled rejection in the training worker'));
      }
      return;
    case 'attack':
      runProbe('attack', message.id, (s) =>
        runAttackProbe(s, message.id, message.request, (detail, fraction) => emit(s, { type: 'probeProgress', probe: 'attack', id: message.id, detail, fraction })),
      );
      return;
    case 'fewShot':
      runProbe('fewShot', message.id, async (s) =>
        runFewShotProbe(s, message.id, await getDataset(s.settings.dataset), message.request, (detail, fraction) =>
          emit(s, { type: 'probeProgress', probe: 'fewShot', id: message.id, detail, fraction }),
        ),
      );
      return;
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
// Anything uncaught stops training with a message (handled here, so the page's worker.onerror stays for a dead worker).
const failUncaught = (what: string, err: unknown) => fail(new Error(`the training worker hit ${what} (${describe(err)}); press Reset to start again, or resume a saved run`));
self.addEventListener('error', (event) => {
  event.preventDefault();
  failUncaught('an unexpected error', event.error ?? event.message);
});
self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  failUncaught('an unexpected failure', event.reason);
});
