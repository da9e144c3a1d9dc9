import * as z from 'zod';

// test/corpus/thresholds.json: the floor CI holds the routing to (`minimum` for shares,
// `maximum` for counts of harm), and, apart, the targets the issue sets. Thresholds are
// raised as quality improves and never lowered to make a run pass.

const Bounds = z
  .object({
    minimum: z.record(z.string(), z.number().min(0).max(1)).default({}),
    maximum: z.record(z.string(), z.number().int().min(0)).default({}),
  })
  .strict();
export type Bounds = z.infer<typeof Bounds>;

export const ThresholdsSchema = z
  .object({
    note: z.string().optional(),
    minimum: Bounds.shape.minimum,
    maximum: Bounds.shape.maximum,
    targets: Bounds,
  })
  .strict();
export type Thresholds = z.infer<typeof ThresholdsSchema>;

export interface Shortfall {
  figure: string;
  value: number | null;
  bound: number;
  kind: 'minimum' | 'maximum';
}

/**
 * The figures that miss their bounds. A bounded figure that cannot be measured (its
 * cases are gone) misses too: a threshold must never pass by having nothing to judge.
 */
export function shortfalls(figures: Record<string, number | null>, bounds: Bounds): Shortfall[] {
  const misses: Shortfall[] = [];
  for (const [figure, bound] of Object.entries(bounds.minimum)) {
    const value = figures[figure] ?? null;
    if (value === null || value < bound) misses.push({ figure, value, bound, kind: 'minimum' });
  }
  for (const [figure, bound] of Object.entries(bounds.maximum)) {
    const value = figures[figure] ?? null;
    if (value === null || value > bound) misses.push({ figure, value, bound, kind: 'maximum' });
  }
  return misses;
}

/** Figures that count harm (fewer is better); every other figure is a share (more is better). */
export const COUNT_FIGURES = new Set(['hard-negative.deadline-acks', 'machine.fraud-or-request']);

/**
 * Thresholds at today's figures: shares rounded down to two decimals, counts as they are.
 * What to write into thresholds.json when the set changes; unmeasurable figures are left out.
 */
export function thresholdsAt(figures: Record<string, number | null>): Bounds {
  const bounds: Bounds = { minimum: {}, maximum: {} };
  for (const [figure, value] of Object.entries(figures)) {
    if (value === null) continue;
    if (COUNT_FIGURES.has(figure)) bounds.maximum[figure] = value;
    // The epsilon keeps 0.95 from becoming 0.94 when it was computed as 0.9499999999.
    else bounds.minimum[figure] = Math.floor(value * 100 + 1e-9) / 100;
  }
  return bounds;
}
