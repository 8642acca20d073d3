// Lines of different saved runs on one chart: each line has its own x values, so they are merged into one row per
// distinct x with a column per line (missing where a line has no point there; the chart connects across gaps).

export interface Line {
  /** Column name of this line in the merged rows. */
  key: string;
  points: ReadonlyArray<{ x: number; y: number }>;
}

/** Rows sorted by x: `{ x, [line.key]: y }`, one per distinct x over all lines. */
export function mergeLines(lines: readonly Line[]): Array<Record<string, number>> {
  const rows = new Map<number, Record<string, number>>();
  for (const line of lines) {
    for (const p of line.points) {
      let row = rows.get(p.x);
      if (!row) {
        row = { x: p.x };
        rows.set(p.x, row);
      }
      row[line.key] = p.y;
    }
  }
  return [...rows.values()].sort((a, b) => a.x - b.x);
}
