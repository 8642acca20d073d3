// The controls shared by the probe panels (Robustness, Few-shot): their settings fields, the Run button, the hint
// that a probe waits for training to pause, and the probe's progress or error.
import type { LabSettings, Phase } from '../../worker/protocol';
import { PROBE_READY_PHASES, type ProbeState } from '../probeView';
import type { DataCatalog, SettingKey } from '../settings';
import { ProbeStatus } from './ProbeStatus';
import { SettingField } from './SettingField';

interface Props {
  /** The settings rows this probe reads, drawn as fields in this order. */
  fields: readonly SettingKey[];
  settings: LabSettings;
  catalog: DataCatalog;
  onChange: (key: SettingKey, raw: unknown) => void;
  phase: Phase;
  state: ProbeState<unknown>;
  /** Text of the Run button, and the name of the probe in its status line. */
  runLabel: string;
  statusLabel: string;
  /** Shown while training runs: why the button waits. */
  pauseHint: string;
  onRun: () => void;
}

export function ProbeControls({ fields, settings, catalog, onChange, phase, state, runLabel, statusLabel, pauseHint, onRun }: Props) {
  const canRun = PROBE_READY_PHASES.has(phase) && !state.running;
  return (
    <>
      <div className="probe-controls">
        {fields.map((key) => (
          <SettingField key={key} name={key} settings={settings} catalog={catalog} onChange={onChange} />
        ))}
        <button type="button" className="primary" disabled={!canRun} onClick={onRun}>
          {runLabel}
        </button>
      </div>
      {phase === 'running' && <p className="muted">{pauseHint}</p>}
      <ProbeStatus state={state} label={statusLabel} />
    </>
  );
}
