// A registry family as a model (exposition/model.ts), for the formats its types do not pre-render: OpenMetrics
// 2.0 and any format once a name lies outside the legacy set. The family writes its OpenMetrics 1.0 lines into
// a scratch buffer, as for a scrape, and this reads them back knowing every name they can hold (its sample
// and label names), so UTF-8 names need no grammar. Cost: one 1.0 render plus one pass over its bytes, a few
// strings per sample: an OM 2.0 scrape costs about what a 1.0 scrape plus a parse does. A family that builds
// its own model (a `toModel()` method, e.g. for native buckets) is asked for that instead.
import type { ByteWriter } from '../exposition/byte-writer.js';
import type { FamilyModel, LabelPair, SampleModel } from '../exposition/model.js';
import type { Child, Family, ScrapeContext } from './family.js';
import { OPENMETRICS } from '../exposition/formats.js';
import { isLegacyLabelName, isLegacyMetricName } from '../exposition/names.js';

/** What a family may offer when it keeps state its 1.0 lines cannot carry. */
interface SelfModelling {
  toModel(stampSeconds: number | undefined): FamilyModel;
}

/** The family's current samples as a model; `scratch` is reset and used for the 1.0 render. */
export function familyModel(family: Family<Child>, scratch: ByteWriter, stamp: Uint8Array, stampSeconds: number): FamilyModel {
  const own = family as unknown as Partial<SelfModelling>;
  if (typeof own.toModel === 'function') return own.toModel(family.timestamps ? stampSeconds : undefined);
  scratch.reset();
  const context: ScrapeContext = { format: OPENMETRICS, stamp };
  family.writeTo(scratch, context);
  const model: FamilyModel = { name: family.name, type: family.type, help: family.help, samples: [] };
  if (family.unit !== undefined) model.unit = family.unit;
  readLines(scratch.view().toString('utf8'), family, model.samples);
  return model;
}

/** Whether any of the family's names lies outside the legacy set, so its pre-rendered lines cannot be served. */
export function hasUtf8Names(family: Family<Child>): boolean {
  return !isLegacyMetricName(family.name) || family.sampleNames().some((name) => !isLegacyMetricName(name)) || family.labelNames.some((name) => !isLegacyLabelName(name));
}

function readLines(text: string, family: Family<Child>, out: SampleModel[]): void {
  // Longest first, so `x_total` is not read as `x` followed by garbage.
  const names = [...new Set([family.name, ...family.sampleNames()])].sort((a, b) => b.length - a.length);
  const labels = [...new Set([...family.labelNames, 'le', 'quantile', family.name])].sort((a, b) => b.length - a.length);
  let pos = 0;
  while (pos < text.length) {
    const end = text.indexOf('\n', pos);
    if (text.charCodeAt(pos) !== 0x23) out.push(readSample(text, pos, end, names, labels));
    pos = end + 1;
  }
}

function readSample(text: string, from: number, end: number, names: readonly string[], labelNames: readonly string[]): SampleModel {
  const name = names.find((candidate) => text.startsWith(candidate, from) && ' {'.includes(text.charAt(from + candidate.length)));
  if (name === undefined) throw new Error(`unexpected line in a family's own rendering: ${text.slice(from, end)}`);
  let i = from + name.length;
  const labels: LabelPair[] = [];
  if (text.charCodeAt(i) === 0x7b) {
    i++;
    while (text.charCodeAt(i) !== 0x7d) {
      const label = labelNames.find((candidate) => text.startsWith(`${candidate}="`, i));
      if (label === undefined) throw new Error(`unexpected label in a family's own rendering: ${text.slice(i, end)}`);
      i += label.length + 2;
      let value = '';
      while (text.charCodeAt(i) !== 0x22) {
        const c = text.charAt(i);
        if (c === '\\') {
          const next = text.charAt(i + 1);
          value += next === 'n' ? '\n' : next;
          i += 2;
        } else {
          value += c;
          i++;
        }
      }
      labels.push([label, value]);
      i++;
      if (text.charCodeAt(i) === 0x2c) i++;
    }
    i++;
  }
  const fields = text.slice(i + 1, end).split(' ');
  const sample: SampleModel = { name, labels, value: number(fields[0] ?? '') };
  if (fields[1] !== undefined) sample.timestamp = Number(fields[1]);
  return sample;
}

function number(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}
