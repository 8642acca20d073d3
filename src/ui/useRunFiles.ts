// Run files on the page: the shipped snapshots' index, opening a run file or a snapshot through the worker,
// routing dropped files (run files to the worker's openRun, the rest to its data reader), and adopting the
// settings of a run file once the worker shows it, so the URL reproduces it.
import { useCallback, useEffect, useState } from 'react';
import { sortDroppedFiles } from './lib/fileKinds';
import { fetchSnapshot, loadSnapshotIndex, type SnapshotEntry } from './snapshots';
import type { SettingsControls } from './useSettings';
import type { TrainerControls } from './useTrainer';

export interface RunFileControls {
  snapshots: SnapshotEntry[];
  /** A problem fetching a snapshot (the worker reports problems with the file itself). */
  snapshotProblem?: string;
  openFile: (file: File) => void;
  openSnapshot: (entry: SnapshotEntry) => void;
  /** Files dropped on the page or picked: run files open, the rest is read as data. */
  takeFiles: (files: File[]) => void;
}

export function useRunFiles(trainer: TrainerControls, settingsState: SettingsControls): RunFileControls {
  const [snapshots, setSnapshots] = useState<SnapshotEntry[]>([]);
  const [snapshotProblem, setSnapshotProblem] = useState<string>();
  useEffect(() => {
    let live = true;
    void loadSnapshotIndex().then((list) => live && setSnapshots(list));
    return () => {
      live = false;
    };
  }, []);

  const { openRun, loadFiles } = trainer;
  const openFile = useCallback((file: File) => openRun(file, file.name, 'import'), [openRun]);
  const openSnapshot = useCallback(
    (entry: SnapshotEntry) => {
      setSnapshotProblem(undefined);
      fetchSnapshot(entry).then(
        (blob) => openRun(blob, entry.file, 'snapshot', entry.command),
        (err: unknown) => setSnapshotProblem(err instanceof Error ? err.message : String(err)),
      );
    },
    [openRun],
  );
  const takeFiles = useCallback(
    (files: File[]) => {
      const { runFiles, dataFiles } = sortDroppedFiles(files);
      if (runFiles.length > 0) openFile(runFiles[0]);
      if (dataFiles.length > 0) loadFiles(dataFiles);
    },
    [openFile, loadFiles],
  );

  // The page's settings follow the run file shown (clamped to the data here).
  const opened = trainer.view.opened;
  const { replace } = settingsState;
  useEffect(() => {
    if (opened) replace(opened.settings);
  }, [opened, replace]);

  return { snapshots, snapshotProblem, openFile, openSnapshot, takeFiles };
}
