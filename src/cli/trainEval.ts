// The end-of-training probes of `npm run train`: an FGSM/PGD attack on a seeded sample of the test subset and
// few-shot episodes on the novel classes' frozen features, for every run, with a line of progress on stderr each.
import { attackModel, type AttackOptions, type AttackResult } from '../core/eval/adversarial';
import { extractFeatures } from '../core/eval/features';
import { runFewShot, type FewShotOptions, type FewShotResult } from '../core/eval/fewShot';
import type { ImageDataset } from '../core/data/types';
import type { Trainer } from '../core/trainer';

/** An attack result as written to --json: the examples without their pixels. */
export type AttackSummary = Omit<AttackResult, 'examples'> & { examples: Omit<AttackResult['examples'][number], 'perturbed'>[] };

/** Attack every run's model on the same images (same seed, same PGD start). */
export async function attackRuns(trainer: Trainer, test: ImageDataset, options: AttackOptions, log: (line: string) => void): Promise<AttackResult[]> {
  const results: AttackResult[] = [];
  for (let r = 0; r < trainer.models.length; r++) {
    const count = Math.min(options.count ?? test.count, test.count);
    log(`${trainer.config.runs[r].name}: ${describeAttack(options)} on ${count} test images…`);
    results.push(await attackModel(trainer.models[r], test, trainer.stats, options));
  }
  return results;
}

/** Extract every run's features of the novel images, then run the same seeded episodes on each. */
export async function runFewShotOnRuns(trainer: Trainer, novel: ImageDataset, options: FewShotOptions, log: (line: string) => void): Promise<FewShotResult[]> {
  const results: FewShotResult[] = [];
  for (let r = 0; r < trainer.models.length; r++) {
    const model = trainer.models[r];
    log(`${trainer.config.runs[r].name}: features of ${novel.count} novel-class images, then ${options.episodes} ${options.ways}-way ${options.shots}-shot episodes (${options.classifier})…`);
    const features = await extractFeatures(model, novel, trainer.stats);
    results.push(runFewShot(features, model.featureDim, novel.labels, options));
  }
  return results;
}

/** 'PGD (7 steps) ε 8/255' style label. */
export function describeAttack(options: Pick<AttackOptions, 'method' | 'epsilon' | 'steps'>): string {
  const steps = options.method === 'pgd' && options.steps ? ` (${options.steps} steps)` : '';
  return `${options.method.toUpperCase()}${steps} ε ${formatEpsilon(options.epsilon)}`;
}

/** ε in pixel units as n/255 when it is one, else as a decimal. */
export function formatEpsilon(epsilon: number): string {
  const n = epsilon * 255;
  return Math.abs(n - Math.round(n)) < 1e-6 ? `${Math.round(n)}/255` : epsilon.toPrecision(3);
}

/** Drop the example pixels (they belong in the UI, not in a metrics file). */
export function summariseAttack(result: AttackResult): AttackSummary {
  return { ...result, examples: result.examples.map(({ perturbed: _perturbed, ...rest }) => rest) };
}
