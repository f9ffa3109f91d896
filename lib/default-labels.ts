// A registry's default labels (`new Registry({ defaultLabels })`): checked once at construction, put first on
// every series. Families render them into their label bytes; collector output and the registry's own families
// get them here at scrape time, one copy of each sample's label list (no cost when there are none).
import type { FamilyModel } from './exposition/model.js';
import { MetricError, quote } from './metrics/errors.js';
import { validateLabelNames } from './metrics/validate.js';

/** Default label names must be valid and values strings; `invalid metric name`-style errors name the value. */
export function checkDefaultLabels(labels: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  validateLabelNames('registry defaultLabels', Object.keys(labels));
  for (const [name, value] of Object.entries(labels)) {
    if (typeof value !== 'string') throw new MetricError('invalid-label-value', `registry defaultLabels: label ${name} has value ${quote(value)}: default label values must be strings`);
  }
  return Object.freeze({ ...labels });
}

/** A collector's (or the registry's own) family with the default labels first on each sample, unless it sets them itself. */
export function withLabels(family: FamilyModel, labels: Readonly<Record<string, string>>): FamilyModel {
  const names = Object.keys(labels);
  if (names.length === 0) return family;
  return {
    ...family,
    samples: family.samples.map((sample) => {
      const own = new Set(sample.labels.map(([name]) => name));
      const extra = names.filter((name) => !own.has(name)).map((name) => [name, labels[name]!] as const);
      return { ...sample, labels: [...extra, ...sample.labels] };
    }),
  };
}
