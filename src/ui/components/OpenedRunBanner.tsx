// Says, above the panels, that they show a run file rather than a session trained here: a snapshot with the
// command that made it, or an imported file; and whether Train continues it or it is shown without training.
import type { OpenedRun } from '../trainerView';

/** `finished`: the run had trained all its steps, so Train starts it again rather than continuing. */
export function OpenedRunBanner({ opened, finished }: { opened: OpenedRun; finished: boolean }) {
  const snapshot = opened.origin === 'snapshot';
  return (
    <section className={`run-file-banner run-file-${opened.origin}`} aria-label={snapshot ? 'Trained snapshot' : 'Imported run'}>
      <p>
        <strong>{snapshot ? 'Trained snapshot' : 'Imported run file'}</strong> · {opened.name} · saved {new Date(opened.savedAt).toLocaleString('en')} ·{' '}
        <span className="muted">{opened.source}</span>
      </p>
      {opened.command && (
        <p>
          Made with <code>{opened.command}</code>
        </p>
      )}
      <p className="muted">
        {!opened.resumable
          ? `Shown without training: ${opened.why}.`
          : finished
            ? 'It trained all its steps: Train starts a new run with its settings.'
            : 'Press Train to continue it from where it stopped, or change a setting to start a new run.'}
      </p>
    </section>
  );
}
