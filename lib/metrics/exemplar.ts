// Exemplars on record calls (`inc(n, { trace_id })`, `observe(v, { trace_id })`): the latest one per
// counter series or histogram bucket, kept as label pairs, value and wall time, written only in
// OpenMetrics. Recording one costs a label check and one small allocation; records without one pay nothing.
import type { ExemplarModel, LabelPair } from '../exposition/model.js';

/** OpenMetrics "Exemplars": the names and values of an exemplar's label set together stay within 128 characters. */
export const MAX_EXEMPLAR_CHARS = 128;

/** An exemplar's labels, e.g. `{ trace_id: '4bf92f35...', span_id: '00f067aa...' }`. */
export type ExemplarLabels = Readonly<Record<string, string>>;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LONE_SURROGATE = /\p{Cs}/u;

/** The exemplar for this record, or the rule its labels broke (the caller reports it and keeps the value). */
export function makeExemplar(labels: unknown, value: number, timestampSeconds: number): ExemplarModel | string {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return 'exemplar labels must be an object of string values';
  const pairs: LabelPair[] = [];
  let chars = 0;
  for (const name of Object.keys(labels)) {
    const text = (labels as Record<string, unknown>)[name];
    if (!LABEL_NAME.test(name)) return `exemplar label name "${name}" must match [a-zA-Z_][a-zA-Z0-9_]*`;
    if (typeof text !== 'string' || LONE_SURROGATE.test(text)) return `exemplar label ${name} must be a well-formed string`;
    chars += codePoints(name) + codePoints(text);
    pairs.push([name, text]);
  }
  if (chars > MAX_EXEMPLAR_CHARS) return `exemplar labels have ${chars} characters; OpenMetrics allows at most ${MAX_EXEMPLAR_CHARS} (names and values together)`;
  return { labels: pairs, value, timestamp: timestampSeconds };
}

function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdbff) count++;
  }
  return count;
}
