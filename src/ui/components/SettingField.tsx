// One setting, drawn from its entry in the settings table: a select for choices, a numeric field for numbers,
// a slider with a numeric field for γ and λ. Every control has a visible label and an accessible name.
import type { LabSettings } from '../../worker/protocol';
import { SETTINGS, findUpperBound, type DataCatalog, type SettingKey } from '../settings';
import { NumberInput } from './NumberInput';

interface Props {
  name: SettingKey;
  settings: LabSettings;
  catalog: DataCatalog;
  onChange: (key: SettingKey, raw: unknown) => void;
  /** Show the table's one-line help under the control (otherwise it is the control's description only). */
  showHelp?: boolean;
}

export function SettingField({ name, settings, catalog, onChange, showHelp = false }: Props) {
  const spec = SETTINGS[name];
  const id = `setting-${name}`;
  const helpId = `${id}-help`;
  const value = settings[name];
  const help = (
    <small id={helpId} className={showHelp ? 'field-help' : 'visually-hidden'}>
      {spec.help}
    </small>
  );

  if (spec.kind === 'enum') {
    return (
      <div className="field">
        <label htmlFor={id}>{spec.label}</label>
        <select id={id} value={String(value)} aria-describedby={helpId} title={spec.help} onChange={(e) => onChange(name, e.target.value)}>
          {/* Choices the prepared data do not allow (CIFAR-100 without its files) are not offered. */}
          {spec.choices
            .filter((c) => c.value === value || (spec.available ? spec.available(c.value as never, catalog) : true))
            .map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
        </select>
        {help}
      </div>
    );
  }

  if (spec.kind === 'bool') {
    return (
      <div className="field">
        <label htmlFor={id}>{spec.label}</label>
        <select id={id} value={value ? '1' : '0'} aria-describedby={helpId} title={spec.help} onChange={(e) => onChange(name, e.target.value === '1')}>
          <option value="0">{spec.labels[0]}</option>
          <option value="1">{spec.labels[1]}</option>
        </select>
        {help}
      </div>
    );
  }

  const max = findUpperBound(spec, settings, catalog);
  const numeric = value as number;
  if (spec.slider) {
    return (
      <div className="field field-slider">
        <label htmlFor={id}>{spec.label}</label>
        <div className="slider-row">
          <input
            id={id}
            type="range"
            min={spec.min}
            max={max}
            step={spec.step}
            value={numeric}
            aria-describedby={helpId}
            aria-valuetext={String(numeric)}
            onChange={(e) => onChange(name, e.target.value)}
          />
          <NumberInput id={`${id}-value`} spec={spec} value={numeric} max={max} ariaLabel={`${spec.label}, value`} describedBy={helpId} onCommit={(raw) => onChange(name, raw)} />
        </div>
        {help}
      </div>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{spec.label}</label>
      <NumberInput id={id} spec={spec} value={numeric} max={max} describedBy={helpId} onCommit={(raw) => onChange(name, raw)} />
      {help}
    </div>
  );
}
