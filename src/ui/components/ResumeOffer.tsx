// The offer a reopened page makes: continue the last unfinished saved run from its checkpoint, or not now.
import type { SavedRunSummary } from '../../worker/runStore';

interface Props {
  run: SavedRunSummary;
  onResume: () => void;
  onDismiss: () => void;
}

export function ResumeOffer({ run, onResume, onDismiss }: Props) {
  return (
    <section className="resume-offer" aria-label="Resume the last run">
      <p>
        <strong>Continue where you left off?</strong> “{run.name}” stopped at step {run.step} of {run.totalSteps}; its checkpoint
        at step {run.checkpointStep} holds the weights, and training continues from there with the same curves.
      </p>
      <div className="resume-buttons">
        <button type="button" className="primary" onClick={onResume}>
          Resume from step {run.checkpointStep}
        </button>
        <button type="button" onClick={onDismiss}>
          Not now
        </button>
      </div>
    </section>
  );
}
