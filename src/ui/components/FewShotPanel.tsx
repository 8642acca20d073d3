// The Few-shot panel: N-way K-shot episodes on the classes of the prepared data set the session did not train
// on, using each run's frozen features; mean accuracy ± the 95% interval for both runs side by side.
import type { LabSettings, Phase } from '../../worker/protocol';
import type { FewShotOutcome, ProbeState } from '../probeView';
import { runColor } from '../runStyle';
import type { DataCatalog, SettingKey } from '../settings';
import { ProbeControls } from './ProbeControls';

interface Props {
  settings: LabSettings;
  catalog: DataCatalog;
  onChange: (key: SettingKey, raw: unknown) => void;
  phase: Phase;
  state: ProbeState<FewShotOutcome>;
  onRun: () => void;
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

export function FewShotPanel({ settings, catalog, onChange, phase, state, onRun }: Props) {
  const result = state.result;
  return (
    <section className="probe-panel" aria-labelledby="fewshot-title">
      <h2 id="fewshot-title">Few-shot</h2>
      <p className="muted">
        Classes the networks never saw (those after the first {settings.classes}) get only a few labelled images each; a simple classifier on the
        frozen features must tell them apart. Better-structured features should transfer better: the paper reports small gains on CIFAR-FS.
      </p>
      <ProbeControls
        fields={['fewShotWays', 'fewShotShots', 'fewShotEpisodes', 'fewShotClassifier']}
        settings={settings}
        catalog={catalog}
        onChange={onChange}
        phase={phase}
        state={state}
        runLabel="Run episodes"
        statusLabel="Few-shot"
        pauseHint="Pause training to test the current features."
        onRun={onRun}
      />
      {result && (
        <>
          <table className="probe-table" aria-label="Few-shot accuracy">
            <thead>
              <tr>
                <th scope="col">
                  {result.request.ways}-way {result.request.shots}-shot, {result.request.episodes} episodes, after step {result.step}
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
                <th scope="row">Mean accuracy ± 95% interval ({result.request.classifier === 'logistic' ? 'logistic regression' : 'nearest centroid'})</th>
                {result.results.map((r, i) => (
                  <td key={i}>
                    {percent(r.meanAccuracy)} ± {(r.ci95 * 100).toFixed(1)}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
          <p className="muted">
            Chance is {percent(1 / result.request.ways)}. Novel classes: {result.novelClassNames.join(', ')} ({result.novelCount} images,{' '}
            {result.request.queries} queries per class per episode).
          </p>
        </>
      )}
    </section>
  );
}
