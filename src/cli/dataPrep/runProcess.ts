// Runs an external program (npm, tar) for the data command and collects its output, without a shell
// except where Windows needs one to start npm.cmd.

import { spawn } from 'node:child_process';

/** Exit status and output of a finished program. */
export interface ProcessResult {
  /** Exit status, or null when the program was killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Thrown when a program cannot be started at all (e.g. not on PATH). */
export class ProcessStartError extends Error {
  override name = 'ProcessStartError';
}

/**
 * Run `command` with `args` and resolve with its exit status and output (never rejects on a non-zero
 * status; rejects with ProcessStartError when it cannot be started).
 */
export function runProcess(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
      windowsHide: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(new ProcessStartError(error.code === 'ENOENT' ? `${command} was not found on PATH` : `${command} could not start: ${error.message}`));
    });
    child.on('close', (code) => {
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

/**
 * Extract `members` (or everything when none are named) of a .tar.gz into `destination` with the system tar.
 * @throws Error with tar's first error line when extraction fails.
 */
export async function extractTarGz(archive: string, destination: string, members: string[] = []): Promise<void> {
  const result = await runProcess('tar', ['-xzf', archive, '-C', destination, ...members]);
  if (result.code !== 0) {
    const reason = result.stderr.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? `exit status ${result.code}`;
    throw new Error(`could not extract ${archive}: ${reason}`);
  }
}
