// Number formatting shared by the panels: fixed decimals, a dash for missing values.

/** `value` with `digits` decimals, or an en dash when it is missing or not finite. */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

/** An axis tick: at most two decimals, trailing zeros dropped ("0.25", "0.5", "1"). */
export function formatTick(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toFixed(2))) : '';
}

/** A signed difference with `digits` decimals ("+0.12", "−0.05"); "±0.00" when it rounds to zero. */
export function formatDelta(delta: number, digits = 2): string {
  if (!Number.isFinite(delta)) return '–';
  const rounded = Number(delta.toFixed(digits));
  if (rounded === 0) return `±${(0).toFixed(digits)}`;
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(digits)}`;
}

/** A fraction as a percentage with no decimals ("57%"), or an en dash. */
export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : `${Math.round(value * 100)}%`;
}

/** Seconds as "42 s", "3 min 5 s" or "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** A string cut to `max` characters with an ellipsis, for echoing user input in notices. */
export function shorten(text: string, max = 32): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
