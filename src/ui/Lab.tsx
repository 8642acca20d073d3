// The lab: settings (in the URL), the training worker, the UMAP workers and the panels, composed. Loss
// weights changed during a session are sent to the worker as they change; everything else waits for Train
// or Reset.
import { useEffect } from 'react';
import { BackendBadge } from './components/BackendBadge';
import { ClassPanels } from './components/ClassPanels';
import { FewShotPanel } from './components/FewShotPanel';
import { RobustnessPanel } from './components/RobustnessPanel';
import { Intro } from './components/Intro';
import { NoticeList, type ShownNotice } from './components/NoticeList';
import { PresetPicker } from './components/PresetPicker';
import { RunControls } from './components/RunControls';
import { RunGrid } from './components/RunGrid';
import { ScaleStory } from './components/ScaleStory';
import { SettingsPanel } from './components/SettingsPanel';
import { StatusLine } from './components/StatusLine';
import { PRESETS } from './presets';
import { buildAttackRequest, buildFewShotRequest } from './probeRequests';
import { describeChoice, type DataCatalog } from './settings';
import { useSettings } from './useSettings';
import { useTrainer } from './useTrainer';
import { useUmap } from './useUmap';

/** Slider drags send at most one setLoss per this many milliseconds of stillness. */
const SET_LOSS_DEBOUNCE_MS = 150;

export function Lab({ catalog, problem }: { catalog: DataCatalog; problem?: string }) {
  const settingsState = useSettings(catalog);
  const { settings } = settingsState;
  const trainer = useTrainer(settings);
  const { view, applied } = trainer;
  const umap = useUmap(view.embedding, applied.seed);
  const stale = trainer.needsReset(settings);

  const { gamma, lambda, absNegative } = settings;
  const live = view.phase === 'ready' || view.phase === 'running' || view.phase === 'paused';
  const lossDiffers = gamma !== applied.gamma || lambda !== applied.lambda || absNegative !== applied.absNegative;
  const { setLoss } = trainer;
  useEffect(() => {
    if (!live || !lossDiffers) return;
    const timer = setTimeout(() => setLoss({ gamma, lambda, absNegative }), SET_LOSS_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [live, lossDiffers, gamma, lambda, absNegative, setLoss]);

  const notices: ShownNotice[] = [
    ...settingsState.notices.map((n) => ({ key: `s${n.id}`, text: n.text, tone: 'warning' as const, onDismiss: () => settingsState.dismiss(n.id) })),
    ...view.notices.map((n) => ({ key: `w${n.id}`, text: n.text, tone: n.tone, onDismiss: () => trainer.dismiss(n.id) })),
  ];

  return (
    <div className="lab">
      <aside className="sidebar" aria-label="Run the lab">
        <header className="brand">
          <h1>OPL Lab</h1>
          <p>CE vs CE + Orthogonal Projection Loss, trained side by side on real CIFAR images in your browser.</p>
        </header>
        <RunControls
          phase={view.phase}
          stale={stale}
          onTrain={() => trainer.train(settings)}
          onPause={trainer.pause}
          onStep={() => trainer.step(settings)}
          onReset={() => trainer.reset(settings)}
        />
        <StatusLine view={view} stale={stale} dataset={describeChoice('dataset', applied.dataset)} />
        <BackendBadge backend={view.backend} />
        <PresetPicker presets={PRESETS} settings={settings} catalog={catalog} onPick={settingsState.applyPreset} />
        <SettingsPanel settings={settings} catalog={catalog} onChange={settingsState.set} />
      </aside>
      <main className="main">
        {problem && (
          <p className="error" role="alert">
            {problem}
          </p>
        )}
        {view.error && (
          <p className="error" role="alert">
            Training stopped: {view.error}
          </p>
        )}
        <NoticeList notices={notices} />
        <Intro loss={applied} runs={view.runs} />
        <ClassPanels view={view} noise={applied} />
        <RunGrid view={view} umap={umap} />
        <RobustnessPanel
          settings={settings}
          catalog={catalog}
          onChange={settingsState.set}
          phase={view.phase}
          state={view.probes.attack}
          classNames={view.data?.classNames ?? []}
          onRun={() => trainer.runAttack(buildAttackRequest(settings))}
        />
        <FewShotPanel
          settings={settings}
          catalog={catalog}
          onChange={settingsState.set}
          phase={view.phase}
          state={view.probes.fewShot}
          onRun={() => trainer.runFewShot(buildFewShotRequest(settings))}
        />
        <ScaleStory />
      </main>
    </div>
  );
}
