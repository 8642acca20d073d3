// Small typed-array helpers shared by the trainer, the CIFAR readers and the browser's file reading.

/**
 * Join typed arrays, in order, into one new array made by `create` (one copy). The parts are left as they are.
 * @param create makes the result, e.g. `(n) => new Float32Array(n)`; it also types an empty join.
 */
export function joinArrays<T extends Float32Array | Uint8Array>(parts: readonly T[], create: (length: number) => T): T {
  const out = create(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
