// Exports in other tools' formats: the LayersModel (see layersModel.ts), test features as the TensorFlow
// Embedding Projector's tensors.tsv + metadata.tsv, and the metric history as one tidy CSV.
import type { RunHistory } from './runFile';

export { exportLayersModel, WEIGHTS_FILE, type LayersModelExport } from './layersModel';

/** The shortest decimal that reads back as the same float32. */
function formatFloat32(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  for (let digits = 6; digits < 9; digits++) {
    const text = String(Number(value.toPrecision(digits)));
    if (Math.fround(Number(text)) === value) return text;
  }
  return String(Number(value.toPrecision(9)));
}

/** Tabs and line breaks would break a TSV row; class names get spaces instead. */
const cleanCell = (text: string) => text.replace(/[\t\r\n]+/g, ' ');

/**
 * Features for the TensorFlow Embedding Projector (projector.tensorflow.org → Load).
 * @param features [count, dim] row-major; labels [count], each a class index into classNames.
 * @returns tensorsTsv: one row of dim tab-separated numbers per point; metadataTsv: a header row "class\tlabel"
 *   then one row per point (the Projector reads a header when there is more than one column).
 * @throws RangeError when the lengths do not fit count × dim or a label has no class name.
 */
export function toProjectorTsv(features: Float32Array, dim: number, labels: Int32Array, classNames: string[]): { tensorsTsv: string; metadataTsv: string } {
  if (!Number.isInteger(dim) || dim < 1 || features.length !== labels.length * dim) {
    throw new RangeError(`toProjectorTsv: ${features.length} values are not ${labels.length} points × ${dim} dimensions`);
  }
  const rows: string[] = [];
  const meta: string[] = ['class\tlabel'];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label < 0 || label >= classNames.length) throw new RangeError(`toProjectorTsv: label ${label} of point ${i} has no class name`);
    const row: string[] = [];
    for (let k = 0; k < dim; k++) row.push(formatFloat32(features[i * dim + k]));
    rows.push(row.join('\t'));
    meta.push(`${cleanCell(classNames[label])}\t${label}`);
  }
  return { tensorsTsv: rows.join('\n') + '\n', metadataTsv: meta.join('\n') + '\n' };
}

/** Columns of historyToCsv, in order. */
export const HISTORY_CSV_COLUMNS = [
  'step', 'epoch', 'lr', 'run', 'total', 'ce', 'opl', 's', 'd', 'train_batch_accuracy',
  'test_accuracy', 'test_same_class_cos', 'test_diff_class_cos', 'test_class_mean_offdiag_cos', 'train_accuracy',
] as const;

function quoteCsv(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The history as one CSV (RFC 4180, header row, "\n" line ends), one row per step and run: the training
 * metrics where the step reported them, the test evaluation where one ran at that step, empty cells otherwise.
 * Non-finite values are written as NaN / Infinity / -Infinity.
 * @param runNames one name per run, in the order of the metrics.
 * @throws RangeError when an entry has metrics for a different number of runs.
 */
export function historyToCsv(history: RunHistory, runNames: string[]): string {
  type Row = { epoch: number; lr?: number; metrics?: RunHistory['progress'][number]['metrics']; evaluation?: RunHistory['evaluations'][number] };
  const byStep = new Map<number, Row>();
  for (const p of history.progress) {
    if (p.metrics.length !== runNames.length) throw new RangeError(`historyToCsv: step ${p.step} has metrics for ${p.metrics.length} runs, not ${runNames.length}`);
    byStep.set(p.step, { ...byStep.get(p.step), epoch: p.epoch, lr: p.lr, metrics: p.metrics });
  }
  for (const e of history.evaluations) {
    if (e.reports.length !== runNames.length) throw new RangeError(`historyToCsv: the evaluation at step ${e.step} has ${e.reports.length} runs, not ${runNames.length}`);
    byStep.set(e.step, { epoch: e.epoch, ...byStep.get(e.step), evaluation: e });
  }
  const cell = (x: number | undefined) => (x === undefined ? '' : String(x));
  const lines = [HISTORY_CSV_COLUMNS.join(',')];
  for (const step of [...byStep.keys()].sort((a, b) => a - b)) {
    const row = byStep.get(step)!;
    runNames.forEach((name, r) => {
      const m = row.metrics?.[r];
      const e = row.evaluation?.reports[r];
      lines.push(
        [
          String(step), String(row.epoch), cell(row.lr), quoteCsv(name),
          cell(m?.total), cell(m?.ce), cell(m?.opl), cell(m?.s), cell(m?.d), cell(m?.accuracy),
          cell(e?.accuracy), cell(e?.meanSameClassCos), cell(e?.meanDiffClassCos), cell(e?.classMeanOffDiagCos), cell(row.evaluation?.trainAccuracy[r]),
        ].join(','),
      );
    });
  }
  return lines.join('\n') + '\n';
}
