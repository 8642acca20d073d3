// Seeded pseudo-random numbers for everything random in the core: weight init, batch order,
// augmentation, subsets. Nothing in src/core calls Math.random.

/** A seeded source of uniform numbers in [0, 1). */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal sample (Box-Muller). */
  normal(): number;
  /** A new independent stream derived from this seed and a label (does not advance this one). */
  fork(label: string): Rng;
  /** The generator's position, as plain JSON; restoreState() continues exactly from it. */
  saveState(): RngState;
  /** Continue from a position saveState() returned (of a generator with the same seed or not). */
  restoreState(state: RngState): void;
}

/** Where a generator stands: the mulberry32 counter and the spare normal sample of the Box-Muller pair. */
export interface RngState {
  state: number;
  spare: number | null;
}

/** Whether a value parsed from JSON is an RngState. */
export function isRngState(value: unknown): value is RngState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const stateOk = typeof v.state === 'number' && Number.isInteger(v.state) && v.state >= 0 && v.state <= 0xffffffff;
  return stateOk && (v.spare === null || (typeof v.spare === 'number' && Number.isFinite(v.spare)));
}

/** Hash a string into a 32-bit unsigned integer (FNV-1a). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Create a seeded generator (mulberry32 over a 32-bit state). Same seed, same sequence, on any platform. */
export function createRng(seed: number): Rng {
  const base = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  let state = base;
  let spare: number | null = null;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal() {
      if (spare !== null) {
        const v = spare;
        spare = null;
        return v;
      }
      const u = 1 - next(); // in (0, 1], so log is finite
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    fork: (label) => createRng((base ^ hashString(label)) >>> 0),
    saveState: () => ({ state, spare }),
    restoreState(saved) {
      state = saved.state >>> 0;
      spare = saved.spare;
    },
  };
}

/** Fisher-Yates shuffle in place; returns the same array. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(items: T, rng: Rng): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}
