// The lab: settings (in the URL), the training worker, the UMAP workers and the panels, composed. Loss
// weights changed during a session are sent to the worker as they change; everything else waits for Train
// or Reset. Saved runs can be resumed, reopened (their panels replace the live ones) and compared; run files
// exported, opened or shipped as snapshots; the user's own CIFAR files dropped on the page.
import { useEffect, useMemo, useRef, useState } from 'react';
import { BackendBadge } from './components/BackendBadge';
import { DataFiles } from './components/DataFiles';
import { OpenedRunBanner } from './components/OpenedRunBanner';
import { RunFiles } from './components/RunFiles';
import { ClassPanels } from './components/ClassPanels';
import { FewShotPanel } from './components/FewShotPanel';
import { RobustnessPanel } from './components/RobustnessPanel';
import { Intro } from './components/Intro';
import { NoticeList, type ShownNotice } from './components/NoticeList';
import { PanelBoundary } from './components/PanelBoundary';
import { PresetPicker } from './components/PresetPicker';
import { ResumeOffer } from './components/ResumeOffer';
import { RunComparison, type ComparedRun } from './components/RunComparison';
import { RunControls } from './components/RunControls';
import { RunGrid } from './components/RunGrid';
import { canResume, SavedRunsPanel } from './components/SavedRunsPanel';
import { ScaleStory } from './components/ScaleStory';
import { SettingsPanel } from './components/SettingsPanel';
import { StatusLine } from './components/StatusLine';
import { PRESETS } from './presets';
import { buildAttackRequest, buildFewShotRequest } from './probeRequests';
import { buildSavedView } from './savedView';
import { addDroppedData } from './droppedCatalog';
import { constrainSettings, describeChoice, type DataCatalog, type DatasetName } from './settings';
import type { TrainerView } from './trainerView';
import { useSavedRuns } from './useSavedRuns';
import { useFileDrop } from './useFileDrop';
import { useRunFiles } from './useRunFiles';
import { useSettings } from './useSettings';
import { useTrainer } from './useTrainer';
import { useUmap } from './useUmap';

/** Phases in which the worker holds a built session that can be exported. */
const BUILT_PHASES = new Set(['ready', 'running', 'paused', 'done']);

/** Slider drags send at most one setLoss per this many milliseconds of stillness. */
const SET_LOSS_DEBOUNCE_MS = 150;

export function Lab({ catalog: prepared, problem }: { catalog: DataCatalog; problem?: string }) {
  // The user's own data sets widen the prepared catalog once the worker has read them.
  const [dropped, setDropped] = useState<TrainerView['dropped']>();
  const catalog = useMemo(() => addDroppedData(prepared, dropped), [prepared, dropped]);
  const settingsState = useSettings(catalog);
  const { settings } = settingsState;
  const trainer = useTrainer(settings, settingsState.replace);
  const { view, applied } = trainer;
  const saved = useSavedRuns(`${view.saved?.runId}:${view.saved?.step}:${view.saved?.checkpointStep}`);
  const [opened, setOpened] = useState<{ id: string; name: string; view: TrainerView } | null>(null);
  const [compared, setCompared] = useState<ComparedRun[] | null>(null);
  const [offerDismissed, setOfferDismissed] = useState(false);
  const [storeProblem, setStoreProblem] = useState<string>();
  const shown = opened?.view ?? view;
  const umap = useUmap(shown.embedding, applied.seed);
  // Offered once, on a page whose own session has not trained yet: the last unfinished run with a checkpoint.
  const offer = !offerDismissed && !view.saved && view.step === 0 ? saved.runs.find(canResume) : undefined;
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

  const resume = (id: string) => {
    setOfferDismissed(true);
    setOpened(null);
    trainer.resume(id);
  };
  const open = async (id: string) => {
    const run = await saved.read(id).catch((err: unknown) => setStoreProblem(String(err)));
    if (run) setOpened({ id, name: run.summary.name, view: buildSavedView(run) });
  };
  const compare = async (ids: string[]) => {
    const runs = await Promise.all(ids.map((id) => saved.readHistory(id))).catch((err: unknown) => setStoreProblem(String(err)));
    if (runs) setCompared(runs.filter((r): r is ComparedRun => r !== null));
  };

  // Newly read own data: widen the catalog, then (next render, with the new limits) switch to it and reset.
  const switchTo = useRef<DatasetName | null>(null);
  useEffect(() => {
    if (view.dropped === dropped) return;
    const changed = (Object.keys(view.dropped ?? {}) as DatasetName[]).find((name) => view.dropped?.[name] !== dropped?.[name]);
    switchTo.current = changed ?? null;
    setDropped(view.dropped);
  }, [view.dropped, dropped]);
  const { set: setSetting } = settingsState;
  const { reset } = trainer;
  useEffect(() => {
    const name = switchTo.current;
    if (!name || !catalog[name]) return;
    switchTo.current = null;
    setSetting('dataset', name);
    reset(constrainSettings({ ...settings, dataset: name }, catalog).settings);
  }, [catalog, settings, setSetting, reset]);
  const runFiles = useRunFiles(trainer);
  const dragging = useFileDrop(runFiles.takeFiles);
  const trained = view.data !== undefined && view.phase !== 'failed' && (view.opened?.resumable ?? true);

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
        <RunFiles
          runNames={view.runs.map((r) => r.name)}
          canExport={trained && BUILT_PHASES.has(view.phase)}
          hasFeatures={view.embedding !== undefined}
          snapshots={runFiles.snapshots}
          problem={view.fileProblem ?? runFiles.snapshotProblem}
          onOpen={runFiles.openFile}
          onSnapshot={runFiles.openSnapshot}
          onExport={trainer.exportFiles}
        />
        <DataFiles status={view.files} inUse={view.dropped?.[applied.dataset]} onFiles={trainer.loadFiles} />
        <SettingsPanel settings={settings} catalog={catalog} onChange={settingsState.set} />
      </aside>
      {dragging && <div className="drop-hint" aria-hidden="true" />}
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
        {view.opened && !opened && <OpenedRunBanner opened={view.opened} finished={view.phase === 'done'} />}
        {offer && <ResumeOffer run={offer} onResume={() => resume(offer.id)} onDismiss={() => setOfferDismissed(true)} />}
        {storeProblem && (
          <p className="error" role="alert">
            {storeProblem}
          </p>
        )}
        <PanelBoundary what="The saved runs">
          <SavedRunsPanel
            runs={saved.runs}
            problem={saved.problem}
            liveId={view.saved?.runId}
            openId={opened?.id}
            onOpen={(id) => void open(id)}
            onResume={resume}
            onRename={(id, name) => void saved.rename(id, name)}
            onDelete={(id) => {
              if (opened?.id === id) setOpened(null);
              void saved.remove(id);
            }}
            onCompare={(ids) => void compare(ids)}
          />
          {compared && <RunComparison compared={compared} onClose={() => setCompared(null)} />}
        </PanelBoundary>
        {opened && (
          <section className="opened-run" aria-label="Saved run shown">
            <p>
              Showing the saved run “{opened.name}” (step {opened.view.step} of {opened.view.data?.totalSteps}); the live session goes on
              underneath.
            </p>
            <button type="button" onClick={() => setOpened(null)}>
              Back to the live session
            </button>
          </section>
        )}
        <Intro loss={applied} runs={shown.runs} />
        <PanelBoundary what="The panels">
          {shown === view && <ClassPanels view={view} noise={applied} />}
          <RunGrid view={shown} umap={umap} />
          {shown === view && (
            <>
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
            </>
          )}
        </PanelBoundary>
        <ScaleStory />
      </main>
    </div>
  );
}
