// The teaching text at the top: what CE asks for and what it does not, what OPL adds (the formula, with the
// live s and d the worker reports), and why the lab opens with γ = 2.
import { formatNumber } from '../lib/format';
import { SERIES_COLORS, runColor } from '../runStyle';
import type { LossWeights, RunView } from '../trainerView';

interface Props {
  loss: LossWeights;
  runs: RunView[];
}

function LiveValues({ run, loss }: { run: RunView; loss: LossWeights }) {
  const last = run.steps[run.steps.length - 1];
  return (
    <li>
      <span className="run-tag" style={{ borderColor: runColor(run.name) }}>
        {run.name}
      </span>{' '}
      {last ? (
        <>
          step {last.step}: <var style={{ color: SERIES_COLORS.same }}>s</var> = {formatNumber(last.s)}, <var style={{ color: SERIES_COLORS.different }}>d</var> ={' '}
          {formatNumber(last.d)} → OPL = (1 − {formatNumber(last.s)}) + {formatNumber(loss.gamma)} × {formatNumber(last.d)} = <strong>{formatNumber(last.opl)}</strong>
          {/opl/i.test(run.name) ? '' : ' (logged, not trained on)'}
        </>
      ) : (
        'no step yet'
      )}
    </li>
  );
}

function GammaNote({ gamma }: { gamma: number }) {
  if (gamma < 1) {
    return (
      <p>
        <strong>Now γ = {formatNumber(gamma)} &lt; 1:</strong> moving s and d up together by δ changes OPL by (γ − 1)·δ &lt; 0, so pulling
        <em> every</em> feature together still pays. Expect tighter clusters, not more orthogonal classes, at short horizons.
      </p>
    );
  }
  if (gamma > 1) {
    return (
      <p>
        <strong>Now γ = {formatNumber(gamma)} &gt; 1:</strong> moving s and d up together by δ changes OPL by (γ − 1)·δ &gt; 0, so collapse
        costs. The only way down is to raise s while lowering d: orthogonal classes.
      </p>
    );
  }
  return (
    <p>
      <strong>Now γ = 1:</strong> the crossover. Raising s and d together leaves OPL unchanged.
    </p>
  );
}

export function Intro({ loss, runs }: Props) {
  return (
    <section className="intro" aria-labelledby="intro-title">
      <h2 id="intro-title">What the two losses ask of the features</h2>
      <div className="intro-columns">
        <div>
          <h3>Cross-entropy (CE)</h3>
          <p>
            CE asks only that the true class score higher than the others: a <em>relative</em> constraint on the logits. It says nothing
            about the features before the last layer. Features of different classes may point in much the same direction as long as the
            classifier can still tell them apart; after ReLU and pooling every cosine is ≥ 0, and different classes typically share most
            of their direction.
          </p>
        </div>
        <div>
          <h3>Orthogonal Projection Loss (OPL)</h3>
          <p>
            One-hot targets are mutually orthogonal. OPL asks the <em>features</em> to be the same: within each mini-batch, the mean cosine
            of same-class pairs <var style={{ color: SERIES_COLORS.same }}>s</var> should be 1 and that of different-class pairs{' '}
            <var style={{ color: SERIES_COLORS.different }}>d</var> should be 0. No extra parameters, no negative mining.
          </p>
          <p className="formula" aria-label="OPL equals one minus s plus gamma times d; the objective is CE plus lambda times OPL">
            <span>
              OPL = (1 − <var>s</var>) + <var>γ</var>·<var>d</var>
            </span>
            <span className="formula-sep">
              objective = CE + <var>λ</var>·OPL
            </span>
          </p>
          <p className="muted">
            Now: γ = {formatNumber(loss.gamma)}, λ = {formatNumber(loss.lambda)}, d = {loss.absNegative ? 'mean |cosine| (the paper’s equation)' : 'signed mean cosine (the reference loss.py)'}.
          </p>
          <ul className="live-values" aria-live="off">
            {runs.map((run) => (
              <LiveValues key={run.name} run={run} loss={loss} />
            ))}
          </ul>
        </div>
        <div>
          <h3>Why the lab opens with γ = 2</h3>
          <p>
            The reference default is γ = 0.5. With γ &lt; 1, pulling everything together raises s and d together and still lowers (1 − s) + γ·d:
            collapse is rewarded. Only γ &gt; 1 makes that collapse costly. The README’s γ = 0.5, λ = 1 is one click away in the presets; slide γ
            across 1 to find the crossover.
          </p>
          <GammaNote gamma={loss.gamma} />
        </div>
      </div>
    </section>
  );
}
