// Saved runs in IndexedDB (usable from the training worker and from the page): each run's summary, its metric
// history, its latest checkpoint and its latest test embedding, in four object stores keyed by run id. Every
// write is one transaction, so a failed write (storage full) leaves what was saved before intact.
import type { SavedEmbedding } from '../core/io/runFile';
import type { TrainerState } from '../core/trainerState';
import type { LabSettings } from './protocol';
import type { RunHistory } from './runHistory';

/** What the runs list shows of a saved run, and what a resume needs to rebuild its session. */
export interface SavedRunSummary {
  id: string;
  name: string;
  /** ISO times. */
  createdAt: string;
  updatedAt: string;
  /** The session's settings, with the loss weights in force at the last save. */
  settings: LabSettings;
  runNames: string[];
  classNames: string[];
  data: { dataset: string; trainCount: number; testCount: number };
  stepsPerEpoch: number;
  totalSteps: number;
  /** Steps the saved history reaches. */
  step: number;
  /** Step of the saved checkpoint; null when none was saved yet (the run cannot resume). */
  checkpointStep: number | null;
  /** Every step done. */
  finished: boolean;
  /** Test accuracy per run at the latest evaluation; null before the first. */
  accuracy: number[] | null;
}

/** A test-feature embedding as saved (the run file's): per run [count, dim] features of test images `indices`, no pixels. */
export type StoredEmbedding = SavedEmbedding;

/** Everything saved of one run. */
export interface StoredRun {
  summary: SavedRunSummary;
  history: RunHistory;
  checkpoint: { step: number; state: TrainerState } | null;
  embedding: StoredEmbedding | null;
}

/** A write failed because the browser's storage quota for this site is used up; nothing of it was kept. */
export class StorageFullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageFullError';
  }
}

export const DB_NAME = 'opl-lab';
const DB_VERSION = 1;
const SUMMARIES = 'runs';
const HISTORIES = 'histories';
const CHECKPOINTS = 'checkpoints';
const EMBEDDINGS = 'embeddings';
const ALL_STORES = [SUMMARIES, HISTORIES, CHECKPOINTS, EMBEDDINGS];

export interface RunStore {
  /** Every saved run's summary, most recently updated first. */
  listRuns(): Promise<SavedRunSummary[]>;
  /** Everything saved of a run, or null when there is no such run. */
  readRun(id: string): Promise<StoredRun | null>;
  /** A run's summary and history only (no weights): what comparing runs needs. Null when there is no such run. */
  readHistory(id: string): Promise<Pick<StoredRun, 'summary' | 'history'> | null>;
  /**
   * Save a run's summary and history in one transaction. The summary's name is kept from the stored one (the
   * page may have renamed it). @throws StorageFullError when the quota is used up.
   */
  saveProgress(summary: SavedRunSummary, history: RunHistory): Promise<void>;
  /**
   * Replace a run's checkpoint (and save its summary, history and, when given, embedding) in one transaction:
   * either all of it is stored or none, and the previous checkpoint stays. @throws StorageFullError.
   */
  saveCheckpoint(
    summary: SavedRunSummary,
    history: RunHistory,
    checkpoint: { step: number; state: TrainerState },
    embedding: StoredEmbedding | null,
  ): Promise<void>;
  rename(id: string, name: string): Promise<void>;
  deleteRun(id: string): Promise<void>;
  close(): void;
}

function describeError(error: DOMException | null | undefined, what: string): Error {
  if (error?.name === 'QuotaExceededError') return new StorageFullError(`storage is full: ${what} could not be saved`);
  return new Error(`${what} failed: ${error?.message || error?.name || 'unknown IndexedDB error'}`);
}

/** Resolve when the transaction commits; reject (StorageFullError on quota) when it aborts or fails. */
function finish(tx: IDBTransaction, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(describeError(tx.error, what));
    tx.onerror = (event) => {
      // The abort that follows rejects; keep the error from also surfacing as an uncaught one.
      event.preventDefault();
    };
  });
}

function read<T>(request: IDBRequest, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result as T);
    request.onerror = () => reject(describeError(request.error, what));
  });
}

/** Put `summary`, keeping the stored name if there is one; all inside `tx`. */
function putSummary(tx: IDBTransaction, summary: SavedRunSummary): void {
  const store = tx.objectStore(SUMMARIES);
  const existing = store.get(summary.id);
  existing.onsuccess = () => {
    const name = (existing.result as SavedRunSummary | undefined)?.name ?? summary.name;
    store.put({ ...summary, name });
  };
}

/** Open (creating on first use) the page's run database. @throws Error when IndexedDB is unavailable. */
export function openRunStore(name = DB_NAME): Promise<RunStore> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('this browser offers no IndexedDB'));
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(SUMMARIES)) db.createObjectStore(SUMMARIES, { keyPath: 'id' });
      for (const store of [HISTORIES, CHECKPOINTS, EMBEDDINGS]) if (!db.objectStoreNames.contains(store)) db.createObjectStore(store);
    };
    request.onerror = () => reject(describeError(request.error, 'opening the saved runs'));
    request.onblocked = () => reject(new Error('the saved runs are open in an older version of this page: close its other tabs'));
    request.onsuccess = () => resolve(wrap(request.result));
  });
}

function wrap(db: IDBDatabase): RunStore {
  // Another tab upgrading the database: let it, this one reopens on its next load.
  db.onversionchange = () => db.close();
  return {
    async listRuns() {
      const tx = db.transaction(SUMMARIES, 'readonly');
      const all = await read<SavedRunSummary[]>(tx.objectStore(SUMMARIES).getAll(), 'listing the saved runs');
      return all.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
    },
    async readRun(id) {
      const tx = db.transaction(ALL_STORES, 'readonly');
      const what = 'reading a saved run';
      const [summary, history, checkpoint, embedding] = await Promise.all([
        read<SavedRunSummary | undefined>(tx.objectStore(SUMMARIES).get(id), what),
        read<RunHistory | undefined>(tx.objectStore(HISTORIES).get(id), what),
        read<StoredRun['checkpoint'] | undefined>(tx.objectStore(CHECKPOINTS).get(id), what),
        read<StoredEmbedding | undefined>(tx.objectStore(EMBEDDINGS).get(id), what),
      ]);
      if (!summary) return null;
      return { summary, history: history ?? { progress: [], evaluations: [], lossChanges: [] }, checkpoint: checkpoint ?? null, embedding: embedding ?? null };
    },
    async readHistory(id) {
      const tx = db.transaction([SUMMARIES, HISTORIES], 'readonly');
      const what = 'reading a saved run';
      const [summary, history] = await Promise.all([
        read<SavedRunSummary | undefined>(tx.objectStore(SUMMARIES).get(id), what),
        read<RunHistory | undefined>(tx.objectStore(HISTORIES).get(id), what),
      ]);
      return summary ? { summary, history: history ?? { progress: [], evaluations: [], lossChanges: [] } } : null;
    },
    saveProgress(summary, history) {
      const tx = db.transaction([SUMMARIES, HISTORIES], 'readwrite');
      const done = finish(tx, `the metrics up to step ${summary.step}`);
      putSummary(tx, summary);
      tx.objectStore(HISTORIES).put(history, summary.id);
      return done;
    },
    saveCheckpoint(summary, history, checkpoint, embedding) {
      const tx = db.transaction(ALL_STORES, 'readwrite');
      const done = finish(tx, `the checkpoint at step ${checkpoint.step}`);
      putSummary(tx, summary);
      tx.objectStore(HISTORIES).put(history, summary.id);
      tx.objectStore(CHECKPOINTS).put(checkpoint, summary.id);
      if (embedding) tx.objectStore(EMBEDDINGS).put(embedding, summary.id);
      return done;
    },
    rename(id, name) {
      const tx = db.transaction(SUMMARIES, 'readwrite');
      const done = finish(tx, 'renaming the run');
      const store = tx.objectStore(SUMMARIES);
      const existing = store.get(id);
      existing.onsuccess = () => {
        const summary = existing.result as SavedRunSummary | undefined;
        if (summary) store.put({ ...summary, name });
      };
      return done;
    },
    deleteRun(id) {
      const tx = db.transaction(ALL_STORES, 'readwrite');
      const done = finish(tx, 'deleting the run');
      for (const store of ALL_STORES) tx.objectStore(store).delete(id);
      return done;
    },
    close: () => db.close(),
  };
}
