// Colours the panels share: the diverging cosine scale (−1 blue … 0 white … +1 red) and one colour per class.

export type Rgb = [number, number, number];

/** Endpoints of the diverging scale (ColorBrewer RdBu ends) and its midpoint. */
export const COSINE_NEGATIVE: Rgb = [33, 102, 172];
export const COSINE_ZERO: Rgb = [255, 255, 255];
export const COSINE_POSITIVE: Rgb = [178, 24, 43];
/** Shown for a missing value (NaN). */
export const COSINE_MISSING: Rgb = [200, 200, 200];

/** Colour of a cosine in [-1, 1] (clamped): blue through white to red, linear in each half. */
export function divergingColor(value: number): Rgb {
  if (!Number.isFinite(value)) return COSINE_MISSING;
  const v = Math.max(-1, Math.min(1, value));
  const end = v < 0 ? COSINE_NEGATIVE : COSINE_POSITIVE;
  const t = Math.abs(v);
  return [0, 1, 2].map((c) => Math.round(COSINE_ZERO[c] + (end[c] - COSINE_ZERO[c]) * t)) as Rgb;
}

/**
 * Write the diverging colour of each value into RGBA pixels (`out` holds 4 bytes per value, alpha set opaque):
 * the same colours as divergingColor, without an array per pixel (a 400 x 400 matrix is 160,000 of them).
 */
export function paintDiverging(values: ArrayLike<number>, out: Uint8ClampedArray): void {
  for (let k = 0; k < values.length; k++) {
    const value = values[k];
    const o = k * 4;
    out[o + 3] = 255;
    if (!Number.isFinite(value)) {
      out[o] = COSINE_MISSING[0];
      out[o + 1] = COSINE_MISSING[1];
      out[o + 2] = COSINE_MISSING[2];
      continue;
    }
    const v = value < -1 ? -1 : value > 1 ? 1 : value;
    const end = v < 0 ? COSINE_NEGATIVE : COSINE_POSITIVE;
    const t = Math.abs(v);
    out[o] = Math.round(COSINE_ZERO[0] + (end[0] - COSINE_ZERO[0]) * t);
    out[o + 1] = Math.round(COSINE_ZERO[1] + (end[1] - COSINE_ZERO[1]) * t);
    out[o + 2] = Math.round(COSINE_ZERO[2] + (end[2] - COSINE_ZERO[2]) * t);
  }
}

export function toCss([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

/** A CSS linear-gradient of the diverging scale from −1 (left) to +1 (right). */
export const COSINE_GRADIENT_CSS = `linear-gradient(to right, ${toCss(COSINE_NEGATIVE)}, ${toCss(COSINE_ZERO)}, ${toCss(COSINE_POSITIVE)})`;

/** Tableau-10: distinct, colour-blind-aware class colours for up to ten classes. */
const TABLEAU_10 = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** Colour of class `index` among `count` classes: Tableau-10 up to ten, evenly spaced hues beyond. */
export function classColor(index: number, count: number): string {
  if (count <= TABLEAU_10.length) return TABLEAU_10[index % TABLEAU_10.length];
  // Golden-angle hue steps keep neighbouring class ids apart; alternate lightness adds a second cue.
  const hue = (index * 137.508) % 360;
  const light = index % 2 === 0 ? 45 : 62;
  return `hsl(${hue.toFixed(1)}, 65%, ${light}%)`;
}
