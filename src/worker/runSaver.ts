// When and how the training worker saves a session to the run store: the metric history as it grows (at most
// once per PROGRESS_SAVE_MS), a checkpoint at every epoch end. Writes run one at a time, and a checkpoint still
// waiting for its turn is replaced by a newer one, so a slow disk never builds a queue; a failed write (storage
// full) becomes one warning notice and training goes on, with the previous checkpoint still saved.
import type { TrainerState } from '../core/trainerState';
import type { FromTrainer } from './protocol';
import { readLatestAccuracy, readLastStep } from './runHistory';
import { openRunStore, StorageFullError, type RunStore, type SavedRunSummary, type StoredEmbedding, type StoredRun } from './runStore';
import type { Session } from './session';

/** Least time between two history saves while training. */
export const PROGRESS_SAVE_MS = 2000;

export interface RunSaver {
  /** Save the session's history soon: at once when `force` or PROGRESS_SAVE_MS have passed, else later. */
  saveProgress(s: Session, force?: boolean): void;
  /** Save `checkpoint` (the session's latest) with the history and embedding; resolves once written or failed. */
  saveCheckpoint(s: Session, checkpoint: { step: number; state: TrainerState }): Promise<void>;
  /** Resolves when every write asked for so far has finished. */
  flush(): Promise<void>;
  /** Everything saved of a run (after the writes asked for so far); null when it is not there. @throws when storage cannot be opened. */
  readRun(id: string): Promise<StoredRun | null>;
}

/** The summary of a session for the runs list (its name is kept from the store when the run exists there). */
export function describeSummary(s: Session, now: string): SavedRunSummary {
  const d = s.dataMessage;
  return {
    id: s.runId ?? '',
    name: s.runName,
    createdAt: s.createdAt,
    updatedAt: now,
    settings: s.settings,
    runNames: d.runNames,
    classNames: d.classNames,
    data: { dataset: s.settings.dataset, trainCount: d.trainCount, testCount: d.testCount },
    stepsPerEpoch: d.stepsPerEpoch,
    totalSteps: d.totalSteps,
    step: Math.max(s.step, readLastStep(s.history)),
    // What the store holds, not the newest checkpoint in memory (its write may still be queued).
    checkpointStep: s.savedCheckpointStep,
    finished: s.done,
    accuracy: readLatestAccuracy(s.history),
  };
}

/**
 * A saver posting `saved` after each write and a notice when one fails. The store is opened on the first write;
 * if IndexedDB cannot be opened, one notice says runs will not be saved and the saver does nothing more.
 */
export function createRunSaver(post: (message: FromTrainer) => void, open: () => Promise<RunStore> = openRunStore): RunSaver {
  let store: Promise<RunStore | null> | null = null;
  let chain: Promise<void> = Promise.resolve();
  let lastProgressSave = -Infinity;
  let progressQueued = false;
  /** A queued checkpoint write and the newest checkpoint of its session, which it writes when its turn comes. */
  let queued: { session: Session; checkpoint: { step: number; state: TrainerState } } | null = null;
  let failing = false;

  const getStore = () => {
    store ??= open().catch((err: unknown) => {
      post({ type: 'notice', tone: 'warning', message: `Runs cannot be saved in this browser (${err instanceof Error ? err.message : String(err)}); training works as usual.` });
      return null;
    });
    return store;
  };

  const write = (s: Session, what: (db: RunStore, summary: SavedRunSummary) => Promise<void>) => {
    chain = chain.then(async () => {
      const db = await getStore();
      if (!db || !s.runId) return;
      const summary = describeSummary(s, new Date().toISOString());
      try {
        await what(db, summary);
        failing = false;
        post({ type: 'saved', runId: s.runId, step: summary.step, checkpointStep: summary.checkpointStep });
      } catch (err) {
        if (failing) return; // one notice per run of failures
        failing = true;
        const kept = s.savedCheckpointStep === null ? 'nothing was saved before' : `the saved checkpoint at step ${s.savedCheckpointStep} is kept`;
        const message =
          err instanceof StorageFullError
            ? `Storage is full: ${err.message.replace(/^storage is full: /, '')}; ${kept}. Delete saved runs to make room. Training continues.`
            : `Saving the run failed (${err instanceof Error ? err.message : String(err)}); ${kept}. Training continues.`;
        post({ type: 'notice', tone: 'warning', message });
      }
    });
    return chain;
  };

  return {
    saveProgress(s, force = false) {
      if (!s.runId || progressQueued) return;
      const now = performance.now();
      if (!force && now - lastProgressSave < PROGRESS_SAVE_MS) return;
      lastProgressSave = now;
      progressQueued = true;
      void write(s, async (db, summary) => {
        progressQueued = false;
        await db.saveProgress(summary, s.history);
      });
    },
    saveCheckpoint(s, checkpoint) {
      if (queued?.session === s) {
        queued.checkpoint = checkpoint; // the write already queued takes this newer one instead
        return chain;
      }
      const mine = { session: s, checkpoint };
      queued = mine;
      return write(s, async (db, summary) => {
        if (queued === mine) queued = null;
        const latest = mine.checkpoint;
        const embedding: StoredEmbedding | null = s.embedding && s.embedding.step <= latest.step ? s.embedding : null;
        summary.checkpointStep = latest.step;
        await db.saveCheckpoint(summary, s.history, latest, embedding);
        s.savedCheckpointStep = latest.step;
      });
    },
    flush: () => chain,
    async readRun(id) {
      await chain;
      const db = await getStore();
      if (!db) throw new Error('saved runs cannot be read in this browser');
      return db.readRun(id);
    },
  };
}
