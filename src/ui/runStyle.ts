// How runs and series look everywhere: one colour per run (CE | CE + OPL), one per plotted quantity.

export const RUN_COLORS = { ce: '#0f766e', opl: '#7c3aed' } as const;

/** The colour of a run, from its name ('CE', 'CE + OPL'). */
export function runColor(name: string): string {
  return /opl/i.test(name) ? RUN_COLORS.opl : RUN_COLORS.ce;
}

/** Series colours: same-class (s) and different-class (d) are the same in every panel. */
export const SERIES_COLORS = {
  ce: '#64748b',
  opl: '#d97706',
  same: '#16a34a',
  different: '#dc2626',
  lossMark: '#94a3b8',
} as const;
