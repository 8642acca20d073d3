// Bounded series for the charts: a curve with thousands of logged steps is drawn from at most `max` points,
// each the mean of a fixed block of consecutive points (the block size only changes when the series doubles,
// so points already drawn do not jitter as new ones arrive).

/**
 * Thin `rows` to at most `max` rows by averaging blocks of 2^k consecutive rows (the smallest k that fits).
 * The listed numeric keys are averaged over the finite values of a block (NaN when none is finite); other
 * fields come from the block's first row. Returns `rows` itself when it already fits.
 */
export function thinByMean<T extends object>(rows: readonly T[], max: number, keys: readonly (keyof T)[]): readonly T[] {
  const budget = Math.max(1, Math.floor(max));
  if (rows.length <= budget) return rows;
  let block = 1;
  while (Math.ceil(rows.length / block) > budget) block *= 2;
  const out: T[] = [];
  for (let start = 0; start < rows.length; start += block) {
    const end = Math.min(start + block, rows.length);
    const merged = { ...rows[start] };
    for (const key of keys) {
      let sum = 0;
      let n = 0;
      for (let i = start; i < end; i++) {
        const v = rows[i][key] as unknown as number;
        if (Number.isFinite(v)) {
          sum += v;
          n++;
        }
      }
      (merged as Record<keyof T, unknown>)[key] = n > 0 ? sum / n : NaN;
    }
    out.push(merged);
  }
  return out;
}

/** The block size thinByMean uses for a series of `length` rows and a budget of `max`. */
export function thinningBlock(length: number, max: number): number {
  const budget = Math.max(1, Math.floor(max));
  let block = 1;
  while (Math.ceil(length / block) > budget) block *= 2;
  return block;
}
