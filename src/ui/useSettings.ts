// The settings of the page, kept in the URL hash: read (and corrected, with notices) when the page opens or
// the hash is edited, written back on every change so the address bar always reproduces the run.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LabSettings } from '../worker/protocol';
import { mergePreset, type Preset } from './presets';
import { constrainSettings, parseSettingsHash, serializeSettings, updateSetting, type DataCatalog, type SettingKey } from './settings';

export interface SettingsNotice {
  id: number;
  text: string;
}

export interface SettingsControls {
  settings: LabSettings;
  /** What was corrected in the link or in the form, newest last. */
  notices: SettingsNotice[];
  set: (key: SettingKey, raw: unknown) => void;
  applyPreset: (preset: Preset) => void;
  /** Take every setting from `settings` (a resumed saved run's), checked against this page's table and data. */
  replace: (settings: LabSettings) => void;
  dismiss: (id: number) => void;
}

const MAX_NOTICES = 12;

export function useSettings(catalog: DataCatalog): SettingsControls {
  const nextId = useRef(1);
  const toNotices = (texts: string[]) => texts.map((text) => ({ id: nextId.current++, text }));
  const [state, setState] = useState(() => {
    const parsed = parseSettingsHash(window.location.hash, catalog);
    return { settings: parsed.settings, notices: toNotices(parsed.notices) };
  });

  const commit = useCallback((settings: LabSettings, texts: string[]) => {
    setState((s) => ({ settings, notices: [...s.notices, ...toNotices(texts)].slice(-MAX_NOTICES) }));
  }, []);

  // Write every change (and the corrected form of the opening link) back to the hash, without history entries.
  useEffect(() => {
    const hash = serializeSettings(state.settings);
    if (window.location.hash.replace(/^#/, '') !== hash) window.history.replaceState(null, '', `#${hash}`);
  }, [state.settings]);

  // A hash typed or pasted into the address bar replaces the settings.
  useEffect(() => {
    const onHashChange = () => {
      const hash = window.location.hash;
      if (hash.replace(/^#/, '') === serializeSettings(state.settings)) return;
      const parsed = parseSettingsHash(hash, catalog);
      commit(parsed.settings, parsed.notices);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [catalog, commit, state.settings]);

  return {
    settings: state.settings,
    notices: state.notices,
    set: useCallback(
      (key: SettingKey, raw: unknown) =>
        setState((s) => {
          const next = updateSetting(s.settings, key, raw, catalog);
          return { settings: next.settings, notices: [...s.notices, ...toNotices(next.notices)].slice(-MAX_NOTICES) };
        }),
      [catalog],
    ),
    applyPreset: useCallback(
      (preset: Preset) =>
        setState((s) => {
          const next = constrainSettings(mergePreset(preset, s.settings), catalog);
          return { settings: next.settings, notices: [...s.notices, ...toNotices(next.notices)].slice(-MAX_NOTICES) };
        }),
      [catalog],
    ),
    replace: useCallback(
      (settings: LabSettings) =>
        setState((s) => {
          const next = constrainSettings(settings, catalog);
          return { settings: next.settings, notices: [...s.notices, ...toNotices(next.notices)].slice(-MAX_NOTICES) };
        }),
      [catalog],
    ),
    dismiss: useCallback((id: number) => setState((s) => ({ ...s, notices: s.notices.filter((n) => n.id !== id) })), []),
  };
}
