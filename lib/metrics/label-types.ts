// Typed label names: with `labelNames: ['route', 'code'] as const` (or a literal in a registry factory),
// `labels('/', '200')` takes exactly two values and `labels({ route, code })` exactly those keys, checked
// by the compiler. A plain `string[]` gives the untyped forms. Types only: nothing here runs.
import type { LabelValue } from './family.js';

/** Label names as a family knows them: a literal tuple, or any string array. */
export type LabelNames = readonly string[];

/** Positional label values, one per name (any number of them for an untyped `string[]`). */
export type LabelValues<L extends LabelNames> = { -readonly [K in keyof L]: LabelValue };

/** Label values by name: exactly the family's names. */
export type LabelObject<L extends LabelNames> = Readonly<Record<L[number], LabelValue>>;
