// Run files and exports in the sidebar: open a .oplrun (or drop it on the page), show a shipped snapshot, and
// download the session as a run file, its metrics as CSV, and each run's model and test features. No button
// name here contains "Train", so the Train button stays the only one of that name.
import type { ExportKind } from '../../worker/protocol';
import { RUN_FILE_ACCEPT } from '../lib/fileKinds';
import type { SnapshotEntry } from '../snapshots';

interface Props {
  runNames: string[];
  /** A trained session is there to export (not a run file shown without its data). */
  canExport: boolean;
  /** Whether the session has test features yet (the first epoch has ended). */
  hasFeatures: boolean;
  snapshots: SnapshotEntry[];
  problem?: string;
  onOpen: (file: File) => void;
  onSnapshot: (entry: SnapshotEntry) => void;
  onExport: (what: ExportKind, run?: number) => void;
}

export function RunFiles({ runNames, canExport, hasFeatures, snapshots, problem, onOpen, onSnapshot, onExport }: Props) {
  return (
    <section className="run-files" aria-label="Run files and exports">
      <div className="run-files-row">
        <label className="file-button">
          Open a run file…
          <input
            type="file"
            accept={RUN_FILE_ACCEPT}
            className="visually-hidden"
            aria-label="Open a run file"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) onOpen(file);
            }}
          />
        </label>
        {snapshots.map((entry) => (
          <button key={entry.file} type="button" onClick={() => onSnapshot(entry)} title={entry.command}>
            Show finished snapshot{snapshots.length > 1 ? `: ${entry.title}` : ''}
          </button>
        ))}
      </div>
      <div className="run-files-row" role="group" aria-label="Export">
        <button type="button" disabled={!canExport} onClick={() => onExport('run')}>
          Save run (.oplrun)
        </button>
        <button type="button" disabled={!canExport} onClick={() => onExport('csv')}>
          Metrics CSV
        </button>
      </div>
      {runNames.map((name, r) => (
        <div key={name} className="run-files-row" role="group" aria-label={`Export ${name}`}>
          <span className="run-files-name">{name}:</span>
          <button type="button" disabled={!canExport} onClick={() => onExport('model', r)} aria-label={`Export ${name} model (TensorFlow.js)`}>
            Model
          </button>
          <button type="button" disabled={!canExport || !hasFeatures} onClick={() => onExport('projector', r)} aria-label={`Export ${name} features (Embedding Projector)`}>
            Features
          </button>
        </div>
      ))}
      {problem && (
        <p className="files-status files-failed" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
