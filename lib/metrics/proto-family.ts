// A registry family in Prometheus' protobuf format. Counters, gauges, unknowns, histograms and gauge histograms
// encode each series straight from its fields into a per-series cache (only changed series are encoded again, as
// in the text path); other types go through their OpenMetrics model once per change. Cost with nothing changed:
// one copy of the family's cached message. Holds: the bytes decode to the same model the text formats parse to.
import type { Child, Family } from './family.js';
import type { FamilyModel, LabelPair } from '../exposition/model.js';
import { ByteWriter } from '../exposition/byte-writer.js';
import { OPENMETRICS } from '../exposition/formats.js';
import { parse } from '../exposition/parse/parser.js';
import { protobufName, writeCount, writeExemplar, writeFamilyMessage, writeLabels, writeNative, writeTimestamp } from '../exposition/proto/encode.js';
import * as S from '../exposition/proto/schema.js';
import { ProtoWriter } from '../exposition/proto/writer.js';
import { Counter, type CounterChild } from './counter.js';
import { Gauge, type GaugeChild } from './gauge.js';
import { GaugeHistogram, type GaugeHistogramChild } from './gaugehistogram.js';
import { Histogram, type HistogramChild } from './histogram.js';
import { SeriesCache } from './series-cache.js';

type AnyFamily = Family<Child>;
type Encode = (w: ProtoWriter, child: Child) => void;

interface ProtoState {
  header: Buffer;
  encode: Encode | undefined;
  labels: WeakMap<Child, Buffer>;
  cache: SeriesCache;
  /** Whole-family bytes for the model path: the generation they were made at. */
  generation: number;
  bytes: Buffer | undefined;
}

const states = new WeakMap<AnyFamily, ProtoState>();

/** Appends `family` as one length-prefixed MetricFamily; `wallMs` stamps series of `timestamps: true` families. */
export function writeFamilyProtobuf(w: ProtoWriter, family: AnyFamily, wallMs: number): void {
  const state = stateOf(family);
  const generation = family.scrapeGeneration();
  const { children, layout, cacheable } = family.scrapeState();
  if (state.encode === undefined) return writeViaModel(w, family, state, generation, cacheable, wallMs);
  const start = w.beginDelimited();
  w.bytes(state.header);
  const encode = state.encode;
  const render = (child: Child): void => {
    const metric = w.begin(S.MetricFamily.metric);
    w.bytes((state.labels.get(child) ?? labelBytes(family, child, state)) as Uint8Array);
    encode(w, child);
    if (family.timestamps) {
      w.tag(S.Metric.timestampMs, 0);
      w.int64(wallMs);
    }
    w.end(metric);
  };
  if (!cacheable) {
    for (let i = 0; i < children.length; i++) render(children[i]!);
  } else if (!state.cache.copyIfUnchanged(w, generation, layout, children.length)) {
    const keys = state.cache.keysFor(children.length);
    family.scrapeKeys(keys);
    const renderRange = (from: number, to: number, offsets: Int32Array, base: number): void => {
      for (let i = from; i < to; i++) {
        offsets[i] = w.length - base;
        render(children[i]!);
      }
    };
    state.cache.write(w, children.length, keys, generation, layout, renderRange, () => {});
  }
  w.end(start);
}

function stateOf(family: AnyFamily): ProtoState {
  let state = states.get(family);
  if (state !== undefined) return state;
  const header = new ProtoWriter(256);
  const model: FamilyModel = { name: family.name, type: family.type, help: family.help, samples: [] };
  header.string(S.MetricFamily.name, family instanceof Counter ? `${family.name}_total` : protobufName(model));
  header.string(S.MetricFamily.help, family.help); // empty too: OpenMetrics tells `# HELP x` from no HELP line
  header.varintField(S.MetricFamily.type, protoType(family));
  if (family.unit !== undefined && family.unit !== '') header.string(S.MetricFamily.unit, family.unit);
  state = { header: header.copy(), encode: encoderFor(family), labels: new WeakMap(), cache: new SeriesCache(), generation: -1, bytes: undefined };
  states.set(family, state);
  return state;
}

function protoType(family: AnyFamily): number {
  if (family instanceof Counter) return S.COUNTER;
  if (family instanceof Histogram) return S.HISTOGRAM;
  if (family instanceof GaugeHistogram) return S.GAUGE_HISTOGRAM;
  return family.type === 'unknown' ? S.UNTYPED : S.GAUGE;
}

function encoderFor(family: AnyFamily): Encode | undefined {
  if (family instanceof Counter) {
    return (w, child) => {
      const c = child as CounterChild;
      const at = w.begin(S.Metric.counter);
      w.doubleField(S.Counter.value, c.value);
      if (c.exemplar !== undefined) writeExemplar(w, S.Counter.exemplar, c.exemplar);
      writeTimestamp(w, S.Counter.createdTimestamp, c.created);
      w.end(at);
    };
  }
  if (family instanceof Gauge) {
    const field = family.type === 'unknown' ? S.Metric.untyped : S.Metric.gauge;
    return (w, child) => {
      const at = w.begin(field);
      w.doubleField(S.Value.value, (child as GaugeChild).value);
      w.end(at);
    };
  }
  if (family instanceof Histogram || family instanceof GaugeHistogram) {
    const bounds = family.buckets.bounds;
    return (w, child) => {
      const h = child as HistogramChild | GaugeHistogramChild;
      const at = w.begin(S.Metric.histogram);
      let total = 0;
      for (let i = 0; i < h.counts.length; i++) total += h.counts[i]!;
      writeCount(w, S.Histogram.sampleCount, S.Histogram.sampleCountFloat, total);
      w.doubleField(S.Histogram.sampleSum, h.sum);
      let cumulative = 0;
      // Exemplars recorded with observe() (histograms only): the latest one per bucket, as in OpenMetrics.
      const exemplars = 'exemplars' in h ? h.exemplars : undefined;
      for (let i = 0; i < bounds.length; i++) {
        cumulative += h.counts[i]!;
        const bucket = w.begin(S.Histogram.bucket);
        writeCount(w, S.Bucket.cumulativeCount, S.Bucket.cumulativeCountFloat, cumulative);
        w.doubleField(S.Bucket.upperBound, bounds[i]!);
        const exemplar = exemplars?.[i];
        if (exemplar !== undefined) writeExemplar(w, S.Bucket.exemplar, exemplar);
        w.end(bucket);
      }
      if (h.native !== undefined) writeNative(w, h.native.snapshot());
      if ('created' in h) writeTimestamp(w, S.Histogram.createdTimestamp, h.created);
      w.end(at);
    };
  }
  return undefined;
}

/** Encoded LabelPair fields for a child, read back from its rendered label set once. */
function labelBytes(family: AnyFamily, child: Child, state: ProtoState): Buffer {
  const w = new ProtoWriter(256);
  writeLabels(w, parseLabelSet(family.labelText(child)), S.Metric.label);
  const bytes = w.copy();
  state.labels.set(child, bytes);
  return bytes;
}

/** `{a="x",b="y\\n"}` back into pairs: the writer's escapes are `\\`, `\"` and `\n`. */
function parseLabelSet(text: string): LabelPair[] {
  const pairs: LabelPair[] = [];
  let i = 1;
  while (i < text.length - 1) {
    const equals = text.indexOf('=', i);
    const name = text.slice(i, equals);
    let value = '';
    let j = equals + 2;
    for (; text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        j++;
        value += text[j] === 'n' ? '\n' : text[j];
      } else value += text[j];
    }
    pairs.push([name, value]);
    i = j + 2; // past the closing quote and the comma
  }
  return pairs;
}

/** Summaries, infos, state sets and windowed gauges: their OpenMetrics text, parsed, encoded; kept until a change. */
function writeViaModel(w: ProtoWriter, family: AnyFamily, state: ProtoState, generation: number, cacheable: boolean, wallMs: number): void {
  if (!cacheable || state.bytes === undefined || state.generation !== generation) {
    const text = new ByteWriter(16 * 1024);
    family.writeTo(text, { format: OPENMETRICS, stamp: Buffer.from(` ${OPENMETRICS.formatTimestamp(wallMs / 1000)}`) });
    text.ascii(OPENMETRICS.trailer);
    const [model] = parse(text.view(), { format: 'openmetrics' });
    const out = new ProtoWriter(4096);
    if (model !== undefined) writeFamilyMessage(out, model);
    state.bytes = out.copy();
    state.generation = generation;
  }
  w.bytes(state.bytes);
}
