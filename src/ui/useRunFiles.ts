// Run files on the page: the shipped snapshots' index, opening a run file or a snapshot through the worker,
// routing dropped files (run files to the worker's openRun, the rest to its data reader). The settings of a run
// file shown come back with its history message and are adopted there (useTrainer's onAdopt).
import { useCallback, useEffect, useState } from 'react';
import { sortDroppedFiles } from './lib/fileKinds';
import { fetchSnapshot, loadSnapshotIndex, type SnapshotEntry } from './snapshots';
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

export function useRunFiles(trainer: TrainerControls): RunFileControls {
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

  return { snapshots, snapshotProblem, openFile, openSnapshot, takeFiles };
}
