// Rendering of label sets, shared by the model writer and the metric families' pre-rendered prefixes.
// Runs when a child is created (or for collector output), never on the recording hot path.
import type { LabelPair } from './model.js';
import type { EscapingScheme } from './names.js';
import { escapeLabelValue } from './escape.js';
import { spellLabelName, spellMetricName } from './names.js';

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

/**
 * `name{a="x"}` with names spelled by `scheme` (names.ts); a metric name that must be quoted moves inside
 * the braces as their first item (`{"my.metric",a="x"}`). `extra` is already rendered and goes last.
 * Cost: one regex test per name; for collector output and the OM 2.0 writer, not the registry's hot path.
 */
export function renderSeries(name: string, pairs: readonly LabelPair[], scheme: EscapingScheme, extra = ''): string {
  const inner = renderSpelledPairs(pairs, scheme);
  const spelled = spellMetricName(name, scheme);
  if (spelled.charCodeAt(0) !== 0x22) return spelled + renderLabelSet(inner, extra);
  const rest = renderLabelSet(inner, extra);
  return rest === '' ? `{${spelled}}` : `{${spelled},${rest.slice(1)}`;
}

/** Like renderLabelPairs, with label names spelled by `scheme`. */
export function renderSpelledPairs(pairs: readonly LabelPair[], scheme: EscapingScheme): string {
  let inner = '';
  for (let i = 0; i < pairs.length; i++) {
    const [label, value] = pairs[i]!;
    inner += `${i === 0 ? '' : ','}${spellLabelName(label, scheme)}="${escapeLabelValue(value)}"`;
  }
  return inner;
}
