// Rendering of label sets, shared by the model writer and the metric families' pre-rendered prefixes.
// Runs when a child is created (or for collector output), never on the recording hot path.
import type { LabelPair } from './model.js';
import { escapeLabelValue } from './escape.js';

/** `a="x",b="y"` without braces, values escaped; '' for an empty set. */
export function renderLabelPairs(pairs: readonly LabelPair[]): string {
  let text = '';
  for (let i = 0; i < pairs.length; i++) {
    const [name, value] = pairs[i]!;
    text += `${i === 0 ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  }
  return text;
}

/** `{a="x"}`, or '' for no labels; `extra` (already rendered, e.g. `le="1.0"`) goes last. */
export function renderLabelSet(inner: string, extra = ''): string {
  if (inner === '') return extra === '' ? '' : `{${extra}}`;
  return extra === '' ? `{${inner}}` : `{${inner},${extra}}`;
}
