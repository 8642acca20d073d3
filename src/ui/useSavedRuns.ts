// The page's side of the saved runs: lists them (again whenever the worker reports a save), renames, deletes
// and reads them. The training worker writes them; both use the same IndexedDB store (src/worker/runStore.ts).
import { useCallback, useEffect, useRef, useState } from 'react';
import { openRunStore, type RunStore, type SavedRunSummary, type StoredRun } from '../worker/runStore';

export interface SavedRuns {
  runs: SavedRunSummary[];
  /** Why the saved runs cannot be shown, if they cannot. */
  problem?: string;
  rename: (id: string, name: string) => Promise<void>;
  remove: (id: string) => Promise<void>;
  read: (id: string) => Promise<StoredRun | null>;
  readHistory: RunStore['readHistory'];
}

/** `savedKey` changes whenever the worker reports a save: the list is read again then. */
export function useSavedRuns(savedKey: string): SavedRuns {
  const store = useRef<Promise<RunStore> | null>(null);
  const [runs, setRuns] = useState<SavedRunSummary[]>([]);
  const [problem, setProblem] = useState<string>();

  const getStore = useCallback(() => (store.current ??= openRunStore()), []);
  const refresh = useCallback(async () => {
    try {
      setRuns(await (await getStore()).listRuns());
      setProblem(undefined);
    } catch (err) {
      setProblem(`Saved runs are unavailable: ${err instanceof Error ? err.message : String(err)}`);
    }
  }, [getStore]);

  useEffect(() => {
    void refresh();
  }, [refresh, savedKey]);
  useEffect(() => () => void store.current?.then((s) => s.close(), () => undefined), []);

  /** Run a change, then list again; a failure becomes the list's problem line. */
  const change = useCallback(
    async (work: (s: RunStore) => Promise<void>) => {
      try {
        await work(await getStore());
      } catch (err) {
        setProblem(err instanceof Error ? err.message : String(err));
      }
      await refresh();
    },
    [getStore, refresh],
  );

  return {
    runs,
    problem,
    rename: useCallback((id, name) => change((s) => s.rename(id, name)), [change]),
    remove: useCallback((id) => change((s) => s.deleteRun(id)), [change]),
    read: useCallback(async (id) => (await getStore()).readRun(id), [getStore]),
    readHistory: useCallback(async (id) => (await getStore()).readHistory(id), [getStore]),
  };
}
