// Where the real CIFAR subsets live for tests: ../shared/data relative to the repository root,
// overridable with OPL_SHARED_DATA. Tests that need a subset skip when it is missing, except in CI
// (CI=true), where a missing subset makes the run fail instead of silently skipping.

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared data folder: OPL_SHARED_DATA (absolute, or relative to the repository root), else ../shared/data. */
export const SHARED_DATA_DIR = resolve(REPO_ROOT, process.env.OPL_SHARED_DATA || '../shared/data');

/** A shared data set as seen by a test file. */
export interface SharedData {
  /** Absolute path of the data set's folder, e.g. <shared>/cifar10. */
  dir: string;
  /** Whether the folder exists. */
  available: boolean;
  /** `describe` that skips its tests when the folder is missing. */
  describe: ReturnType<typeof describe.skipIf>;
  /** `it` that skips when the folder is missing. */
  it: ReturnType<typeof it.skipIf>;
  /** Absolute path of a file inside the data set's folder. */
  path(...parts: string[]): string;
}

/**
 * Declare that the calling test file needs the shared data set `name` (e.g. 'cifar10').
 * Call it at the top level of a test file (it registers tests). When the folder is missing the
 * returned `describe` / `it` skip; if process.env.CI === 'true' a failing test is registered too,
 * so CI cannot pass without the data.
 */
export function requireSharedData(name: string): SharedData {
  const dir = resolve(SHARED_DATA_DIR, name);
  const available = existsSync(dir);
  if (!available && process.env.CI === 'true') {
    it(`shared data "${name}" is present`, () => {
      throw new Error(`shared data "${name}" is missing at ${dir} (set OPL_SHARED_DATA to the folder holding it)`);
    });
  }
  return {
    dir,
    available,
    describe: describe.skipIf(!available),
    it: it.skipIf(!available),
    path: (...parts) => resolve(dir, ...parts),
  };
}
