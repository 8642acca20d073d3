// The page's list of shipped snapshots (public/snapshots/index.json): every entry names a run file beside it
// that decodes, with a title and the CLI command that made it, and every run file there is listed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRunFile, RUN_FILE_EXTENSION } from '../src/core/io/runFile';
import { REPO_ROOT } from './helpers/sharedData';

const FOLDER = join(REPO_ROOT, 'public/snapshots');

describe('public/snapshots/index.json', () => {
  const index = JSON.parse(readFileSync(join(FOLDER, 'index.json'), 'utf8')) as { snapshots: { file: string; title: string; command: string }[] };

  it('lists every run file in the folder, each once', () => {
    const files = readdirSync(FOLDER).filter((f) => f.endsWith(RUN_FILE_EXTENSION)).sort();
    expect(index.snapshots.map((s) => s.file).sort()).toEqual(files);
    expect(files.length).toBeGreaterThan(0);
  });

  it('gives each a title and the train command that saved it, and each decodes', () => {
    for (const entry of index.snapshots) {
      expect(entry.title.length).toBeGreaterThan(0);
      expect(entry.command).toMatch(new RegExp(`^npm run train -- .*--save-run public/snapshots/${entry.file.replace(/\./g, '\\.')}$`));
      const run = decodeRunFile(readFileSync(join(FOLDER, entry.file)));
      expect(run.state, `${entry.file} can continue`).not.toBeNull();
      expect(entry.command).toContain(`--seed ${run.config.seed}`);
    }
  });
});
