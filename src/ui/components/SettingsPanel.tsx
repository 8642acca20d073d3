// Every setting of the table, grouped: the loss first (it is what the lab is about), then data, model,
// training and system. Loss changes reach a live session at once; the others apply on Train or Reset.
import type { LabSettings } from '../../worker/protocol';
import { SETTING_KEYS, SETTINGS, type DataCatalog, type SettingGroup, type SettingKey } from '../settings';
import { SettingField } from './SettingField';

const GROUPS: Array<{ id: SettingGroup; title: string }> = [
  { id: 'loss', title: 'Loss' },
  { id: 'data', title: 'Data' },
  { id: 'model', title: 'Model' },
  { id: 'training', title: 'Training' },
  { id: 'system', title: 'System' },
];

interface Props {
  settings: LabSettings;
  catalog: DataCatalog;
  onChange: (key: SettingKey, raw: unknown) => void;
}

export function SettingsPanel({ settings, catalog, onChange }: Props) {
  return (
    <form className="settings" aria-label="Settings" onSubmit={(e) => e.preventDefault()}>
      {GROUPS.map((group) => (
        <fieldset key={group.id} className={`settings-group settings-${group.id}`}>
          <legend>{group.title}</legend>
          {SETTING_KEYS.filter((k) => SETTINGS[k].group === group.id).map((key) => (
            <SettingField key={key} name={key} settings={settings} catalog={catalog} onChange={onChange} showHelp={group.id === 'loss'} />
          ))}
        </fieldset>
      ))}
    </form>
  );
}
