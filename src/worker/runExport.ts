// What the page's export buttons download, made in the training worker where the models and the history live:
// the whole run as one .oplrun file, a run's model as a TensorFlow.js LayersModel, its test features for the
// Embedding Projector, and the metric history as CSV.
import { exportLayersModel, historyToCsv, toProjectorTsv, WEIGHTS_FILE } from '../core/io/exports';
import { encodeRunFile, RUN_FILE_EXTENSION, type SavedRun } from '../core/io/runFile';
import type { ExportKind, ExportedFile } from './protocol';
import { nameRun, type Session } from './session';

const encoder = new TextEncoder();

/** A file-name-safe slug of a run's name. */
const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'run';

/**
 * The session as a SavedRun: its settings, config, history, the latest test embedding and the trainer's exact
 * state now (one batched readback; the trainer is unchanged), so an import continues where this stopped.
 */
export async function buildSavedRun(s: Session): Promise<SavedRun> {
  const state = await s.trainer.captureState();
  return {
    format: 'opl-lab-run',
    version: 1,
    name: s.runName || nameRun(s.settings, s.dataMessage.runNames),
    savedAt: new Date().toISOString(),
    settings: { ...s.settings },
    config: s.trainer.config,
    classNames: [...s.dataMessage.classNames],
    data: { dataset: s.settings.dataset, trainCount: s.dataMessage.trainCount, testCount: s.dataMessage.testCount },
    totalSteps: s.trainer.totalSteps,
    history: s.history,
    state,
    embedding: s.embedding,
  };
}

/**
 * Make the files of one export of the session. `run` picks the run for the model and the features.
 * @throws Error with one line when there is nothing to export yet (no embedding before the first epoch ends).
 */
export async function exportSession(s: Session, what: ExportKind, run: number): Promise<ExportedFile[]> {
  const runNames = s.dataMessage.runNames;
  if ((what === 'model' || what === 'projector') && !(run >= 0 && run < runNames.length)) throw new Error(`there is no run ${run + 1} to export`);
  switch (what) {
    case 'run': {
      const saved = await buildSavedRun(s);
      return [{ name: `${slug(saved.name)}${RUN_FILE_EXTENSION}`, type: 'application/octet-stream', bytes: encodeRunFile(saved) }];
    }
    case 'model': {
      const { modelJson, weightData } = await exportLayersModel(s.trainer.models[run], { classNames: [...s.dataMessage.classNames], stats: s.trainer.stats });
      return [
        { name: 'model.json', type: 'application/json', bytes: encoder.encode(JSON.stringify(modelJson)) },
        { name: WEIGHTS_FILE, type: 'application/octet-stream', bytes: new Uint8Array(weightData) },
      ];
    }
    case 'projector': {
      const e = s.embedding;
      if (!e) throw new Error('no test features yet: they are taken at the end of each epoch');
      const { tensorsTsv, metadataTsv } = toProjectorTsv(e.features[run], e.dim, e.labels, s.dataMessage.classNames);
      return [
        { name: 'tensors.tsv', type: 'text/tab-separated-values', bytes: encoder.encode(tensorsTsv) },
        { name: 'metadata.tsv', type: 'text/tab-separated-values', bytes: encoder.encode(metadataTsv) },
      ];
    }
    case 'csv':
      return [{ name: 'metrics.csv', type: 'text/csv', bytes: encoder.encode(historyToCsv(s.history, runNames)) }];
  }
}
