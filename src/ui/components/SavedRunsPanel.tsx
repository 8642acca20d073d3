// The runs list: every saved run with its name, date, data, steps done and latest test accuracies, and what can
// be done with it: open (show its panels), resume, rename, delete, and pick two or more to compare.
import { useState } from 'react';
import type { SavedRunSummary } from '../../worker/runStore';
import { formatPercent } from '../lib/format';
import { describeChoice } from '../settings';

interface Props {
  runs: SavedRunSummary[];
  problem?: string;
  /** The run the live session saves to (it cannot be deleted or resumed from the list meanwhile). */
  liveId?: string;
  /** The saved run whose panels are shown, if any. */
  openId?: string;
  onOpen: (id: string) => void;
  onResume: (id: string) => void;
  onRename: (id: string, name: string) => void;
  onDelete: (id: string) => void;
  onCompare: (ids: string[]) => void;
}

/** Whether a saved run can continue: not finished, with a checkpoint. */
export const canResume = (run: SavedRunSummary): boolean => !run.finished && run.checkpointStep !== null;

function describeData(run: SavedRunSummary): string {
  return `${describeChoice('dataset', run.data.dataset)} · ${run.classNames.length} classes · ${run.data.trainCount} / ${run.data.testCount}`;
}

function RunRow({ run, live, open, picked, onPick, ...act }: Omit<Props, 'runs' | 'problem' | 'liveId' | 'openId' | 'onCompare'> & { run: SavedRunSummary; live: boolean; open: boolean; picked: boolean; onPick: (on: boolean) => void }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const accuracy = run.accuracy ? run.runNames.map((n, r) => `${n} ${formatPercent(run.accuracy?.[r])}`).join(' · ') : '–';
  const commit = () => {
    const name = editing?.trim();
    if (name) act.onRename(run.id, name.slice(0, 120));
    setEditing(null);
  };
  return (
    <tr aria-current={open ? 'true' : undefined} data-run-id={run.id}>
      <td>
        <input type="checkbox" checked={picked} onChange={(e) => onPick(e.target.checked)} aria-label={`Compare ${run.name}`} />
      </td>
      <th scope="row">
        {editing === null ? (
          run.name
        ) : (
          <input
            aria-label="New name"
            value={editing}
            autoFocus
            maxLength={120}
            onChange={(e) => setEditing(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') commit();
              if (e.key === 'Escape') setEditing(null);
            }}
            onBlur={commit}
          />
        )}
      </th>
      <td>{new Date(run.updatedAt).toLocaleString()}</td>
      <td>{describeData(run)}</td>
      <td className="saved-steps">
        {run.step} / {run.totalSteps}
        <small>
          {run.finished ? 'finished' : run.checkpointStep === null ? 'no checkpoint yet' : `checkpoint at ${run.checkpointStep}`}
          {live && !run.finished && ' · this session'}
        </small>
      </td>
      <td>{accuracy}</td>
      <td className="saved-actions">
        <button type="button" onClick={() => act.onOpen(run.id)} disabled={open}>
          Open
        </button>
        {canResume(run) && !live && (
          <button type="button" onClick={() => act.onResume(run.id)}>
            Resume
          </button>
        )}
        <button type="button" onClick={() => setEditing(run.name)}>
          Rename
        </button>
        {confirming ? (
          <button type="button" className="danger" onClick={() => act.onDelete(run.id)} onBlur={() => setConfirming(false)}>
            Delete for good
          </button>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} disabled={live} title={live ? 'The live session saves to this run; reset first' : undefined}>
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}

export function SavedRunsPanel({ runs, problem, liveId, openId, onCompare, ...act }: Props) {
  const [picked, setPicked] = useState<string[]>([]);
  const present = picked.filter((id) => runs.some((r) => r.id === id));
  return (
    <section className="saved-runs" aria-label="Saved runs">
      <h2>Saved runs</h2>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {runs.length === 0 ? (
        <p className="empty">Runs are saved in this browser as they train (a checkpoint every epoch), and listed here.</p>
      ) : (
        <>
          <table className="saved-table">
            <thead>
              <tr>
                <th>Compare</th>
                <th>Name</th>
                <th>Saved</th>
                <th>Data</th>
                <th>Steps</th>
                <th>Test accuracy</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <RunRow
                  key={run.id}
                  run={run}
                  live={run.id === liveId}
                  open={run.id === openId}
                  picked={present.includes(run.id)}
                  onPick={(on) => setPicked((p) => (on ? [...p.filter((id) => id !== run.id), run.id] : p.filter((id) => id !== run.id)))}
                  {...act}
                />
              ))}
            </tbody>
          </table>
          <button type="button" onClick={() => onCompare(present)} disabled={present.length < 2}>
            Compare {present.length >= 2 ? `${present.length} runs` : '(tick two or more)'}
          </button>
        </>
      )}
    </section>
  );
}
