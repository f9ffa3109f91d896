// A registry family as a model (exposition/model.ts), for the formats its types do not pre-render: OpenMetrics
// 2.0 and any format once a name lies outside the legacy set. The family writes its OpenMetrics 1.0 lines into
// a scratch buffer, as for a scrape, and this reads them back knowing every name they can hold (its sample
// and label names), so UTF-8 names need no grammar. Cost: one 1.0 render plus one pass over its bytes, a few
// strings per sample: an OM 2.0 scrape costs about what a 1.0 scrape plus a parse does. A family that builds
// its own model (a `toModel()` method) is asked for that instead; a histogram's native buckets come from its
// children's `nativeModel()` (see NativeSource).
import type { ByteWriter } from '../exposition/byte-writer.js';
import type { FamilyModel, LabelPair, NativeBucketsModel, SampleModel } from '../exposition/model.js';
import type { Child, Family, ScrapeContext } from './family.js';
import { OPENMETRICS, PROMETHEUS } from '../exposition/formats.js';
import { isLegacyLabelName, isLegacyMetricName } from '../exposition/names.js';

/** What a family may offer when it keeps state its 1.0 lines cannot carry. */
interface SelfModelling {
  toModel(stampSeconds: number | undefined): FamilyModel;
}

/**
 * Native buckets, where a histogram family keeps them: its children in scrape order (`scrapeState()`), each
 * answering `nativeModel()` or holding `native.snapshot()`. The 1.0 lines write one `_count` (`_gcount`) per
 * child in that order.
 */
interface NativeSource {
  scrapeState(): { children: ReadonlyArray<{ nativeModel?(): NativeBucketsModel | undefined; native?: { snapshot?(): NativeBucketsModel } }> };
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
  if (family.type === 'histogram' && (family as unknown as { buckets?: { hasNegative?: boolean } }).buckets?.hasNegative === true) {
    model.samples = withTotals(family, scratch, stamp, model.samples);
  }
  attachNative(family, model);
  return model;
}

/**
 * OpenMetrics 1.0 leaves out `_sum` and `_count` of a histogram with a negative bucket bound; 2.0 requires
 * both, so they come from the family's Prometheus-text lines, which keep them, and `_created` from the 1.0 ones.
 */
function withTotals(family: Family<Child>, scratch: ByteWriter, stamp: Uint8Array, om1: SampleModel[]): SampleModel[] {
  scratch.reset();
  family.writeTo(scratch, { format: PROMETHEUS, stamp });
  const samples: SampleModel[] = [];
  readLines(scratch.view().toString('utf8'), family, samples);
  const created = om1.filter((sample) => sample.name === `${family.name}_created`);
  const out: SampleModel[] = [];
  let k = 0;
  for (const sample of samples) {
    out.push(sample);
    if (sample.name === `${family.name}_count` && created[k] !== undefined) out.push(created[k++]!);
  }
  return out;
}

function attachNative(family: Family<Child>, model: FamilyModel): void {
  const source = family as unknown as Partial<NativeSource>;
  if ((family.type !== 'histogram' && family.type !== 'gaugehistogram') || typeof source.scrapeState !== 'function') return;
  const children = source.scrapeState().children;
  const countName = `${family.name}${family.type === 'histogram' ? '_count' : '_gcount'}`;
  let k = 0;
  for (const sample of model.samples) {
    if (sample.name !== countName) continue;
    const child = children[k++];
    const native = child?.nativeModel?.() ?? child?.native?.snapshot?.();
    if (native !== undefined) sample.native = native;
  }
}

/** Whether any of the family's names lies outside the legacy set, so its pre-rendered lines cannot be served. */
export function hasUtf8Names(family: Family<Child>): boolean {
  return !isLegacyMetricName(family.name) || family.sampleNames().some((name) => !isLegacyMetricName(name)) || family.labelNames.some((name) => !isLegacyLabelName(name));
}

function readLines(text: string, family: Family<Child>, out: SampleModel[]): void {
  // Longest first, so `x_total` is not read as `x` followed by garbage.
  const names = [...new Set([family.name, ...family.sampleNames()])].sort((a, b) => b.length - a.length);
  const labels = [...new Set([...family.labelNames, 'le', 'quantile', family.name])].sort((a, b) => b.length - a.length);
  const prefixes = labels.map((label) => `${label}="`);
  let pos = 0;
  while (pos < text.length) {
    const end = text.indexOf('\n', pos);
    if (text.charCodeAt(pos) !== 0x23) out.push(readSample(text, pos, end, names, labels, prefixes));
    pos = end + 1;
  }
}

function readSample(text: string, from: number, end: number, names: readonly string[], labelNames: readonly string[], prefixes: readonly string[]): SampleModel {
  const name = names.find((candidate) => text.startsWith(candidate, from) && (text.charCodeAt(from + candidate.length) === 0x20 || text.charCodeAt(from + candidate.length) === 0x7b));
  if (name === undefined) throw new Error(`unexpected line in a family's own rendering: ${text.slice(from, end)}`);
  let i = from + name.length;
  const labels: LabelPair[] = [];
  if (text.charCodeAt(i) === 0x7b) {
    i++;
    while (text.charCodeAt(i) !== 0x7d) {
      let k = 0;
      while (k < prefixes.length && !text.startsWith(prefixes[k]!, i)) k++;
      if (k === prefixes.length) throw new Error(`unexpected label in a family's own rendering: ${text.slice(i, end)}`);
      i += prefixes[k]!.length;
      const close = text.indexOf('"', i);
      const slash = text.indexOf('\\', i);
      let value: string;
      if (slash < 0 || slash > close) {
        value = text.slice(i, close);
        i = close + 1;
      } else {
        value = '';
        while (text.charCodeAt(i) !== 0x22) {
          if (text.charCodeAt(i) === 0x5c) {
            value += text.charCodeAt(i + 1) === 0x6e ? '\n' : text.charAt(i + 1);
            i += 2;
          } else value += text.charAt(i++);
        }
        i++;
      }
      labels.push([labelNames[k]!, value]);
      if (text.charCodeAt(i) === 0x2c) i++;
    }
    i++;
  }
  const space = text.indexOf(' ', i + 1);
  const hasStamp = space >= 0 && space < end;
  const sample: SampleModel = { name, labels, value: number(text.slice(i + 1, hasStamp ? space : end)) };
  if (hasStamp) sample.timestamp = Number(text.slice(space + 1, end));
  return sample;
}

function number(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}
