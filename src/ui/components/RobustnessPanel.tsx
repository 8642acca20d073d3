// The Robustness panel: pick an attack and ε, run it on the current weights of both runs, and compare accuracy
// under attack side by side, with a few clean / attacked test images and what each run predicted for them.
import type { LabSettings, Phase } from '../../worker/protocol';
import { formatPercent } from '../lib/format';
import type { AttackOutcome, ProbeState } from '../probeView';
import { runColor } from '../runStyle';
import type { DataCatalog, SettingKey } from '../settings';
import { ProbeControls } from './ProbeControls';
import { Thumbnail } from './Thumbnail';

interface Props {
  settings: LabSettings;
  catalog: DataCatalog;
  onChange: (key: SettingKey, raw: unknown) => void;
  phase: Phase;
  state: ProbeState<AttackOutcome>;
  /** The session's class names, to name the predictions. */
  classNames: string[];
  onRun: () => void;
}

const describeEpsilon = (epsilon: number) => `${Math.round(epsilon * 255)}/255`;

export function RobustnessPanel({ settings, catalog, onChange, phase, state, classNames, onRun }: Props) {
  const result = state.result;
  const name = (c: number) => classNames[c] ?? `class ${c}`;
  return (
    <section className="probe-panel" aria-labelledby="robustness-title">
      <h2 id="robustness-title">Robustness</h2>
      <p className="muted">
        Nudge every pixel of test images by at most ε in the direction that raises the loss, and see how much accuracy survives. The paper
        reports that OPL's better-separated features resist such attacks better; here you can check at browser scale.
      </p>
      <ProbeControls
        fields={['attackMethod', 'attackEpsilon', 'attackCount']}
        settings={settings}
        catalog={catalog}
        onChange={onChange}
        phase={phase}
        state={state}
        runLabel="Run attack"
        statusLabel="Attack"
        pauseHint="Pause training to attack the current weights."
        onRun={onRun}
      />
      {result && (
        <>
          <table className="probe-table" aria-label="Accuracy under attack">
            <thead>
              <tr>
                <th scope="col">
                  {result.results[0]?.method.toUpperCase()} ε {describeEpsilon(result.results[0]?.epsilon ?? 0)}, after step {result.step}
                </th>
                {result.runNames.map((run) => (
                  <th key={run} scope="col" style={{ color: runColor(run) }}>
                    {run}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Clean accuracy ({result.results[0]?.count} test images)</th>
                {result.results.map((r, i) => (
                  <td key={i}>{formatPercent(r.cleanAccuracy)}</td>
                ))}
              </tr>
              <tr>
                <th scope="row">Accuracy under attack</th>
                {result.results.map((r, i) => (
                  <td key={i}>{formatPercent(r.adversarialAccuracy)}</td>
                ))}
              </tr>
            </tbody>
          </table>
          <div className="attack-examples">
            {result.results.map((r, i) => (
              <ul key={i} className="example-row" aria-label={`${result.runNames[i]}: attacked examples`}>
                <li className="run-tag" style={{ borderColor: runColor(result.runNames[i]) }}>
                  {result.runNames[i]}
                </li>
                {r.examples.map((e) => (
                  <li key={e.index} className="example">
                    <Thumbnail images={e.clean} index={0} size={48} label={`clean ${name(e.label)}`} />
                    <Thumbnail images={e.perturbed} index={0} size={48} label={`attacked ${name(e.label)}`} />
                    <small className="muted">{name(e.label)}</small>
                    <small className={e.cleanPrediction === e.label && e.adversarialPrediction !== e.label ? 'flipped' : ''}>
                      {name(e.cleanPrediction)} → {name(e.adversarialPrediction)}
                    </small>
                  </li>
                ))}
              </ul>
            ))}
            <p className="muted">Each pair: the clean test image and the attacked one; below, the true class and the prediction before → after (red where the attack turned a right answer wrong).</p>
          </div>
        </>
      )}
    </section>
  );
}
