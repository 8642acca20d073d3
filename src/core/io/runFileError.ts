// The one error a run file reader throws: its message is a single line saying what is wrong with the file.

/** A run file that is malformed, truncated, oversized or inconsistent. */
export class RunFileError extends Error {
  override name = 'RunFileError';
}
