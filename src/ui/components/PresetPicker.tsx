// One button per ready-made experiment; the one matching the current settings (whatever the backend) is shown
// pressed.
import type { LabSettings } from '../../worker/protocol';
import { findActivePreset, type Preset } from '../presets';
import type { DataCatalog } from '../settings';

interface Props {
  presets: readonly Preset[];
  settings: LabSettings;
  catalog: DataCatalog;
  onPick: (preset: Preset) => void;
}

export function PresetPicker({ presets, settings, catalog, onPick }: Props) {
  const active = findActivePreset(presets, settings);
  return (
    <section className="presets" aria-label="Presets">
      <h2>Presets</h2>
      <div className="preset-buttons">
        {presets.map((p) => {
          const usable = p.available(catalog);
          return (
            <button
              key={p.id}
              type="button"
              aria-pressed={active?.id === p.id}
              disabled={!usable}
              title={usable ? p.why : `${p.why} (needs data this server has not prepared)`}
              onClick={() => onPick(p)}
            >
              {p.label}
            </button>
          );
        })}
      </div>
      <p className="preset-why">{active ? active.why : 'Custom settings: the link in the address bar reproduces them.'}</p>
    </section>
  );
}
