// Writes model families (parser output, collector output) in either format. The registry's own families
// use pre-rendered bytes instead; this path renders each line when called (O(samples), a few strings a
// line), for collectors and tools, not 100k-series hot scrapes. Holds: a model parsed from one format is
// written so that the same format parses it back to the same model.
//
// Format differences come from formats.ts, except for one family shape only a 0.0.4 parse produces: a
// counter whose samples lack `_total` (`# TYPE x counter` over `x 1`). Prometheus text names its TYPE and
// HELP lines after those samples (`x`, not `x_total`); OpenMetrics has no such counter (its samples must
// be `x_total`), so there it is written as `unknown`, the type for a value of unknown meaning, which keeps
// the sample name and value and drops only what unknown cannot carry (exemplars). Not handled: a 0.0.4
// model may hold a gauge `x` beside a counter `x` (from `x_total`); OpenMetrics cannot name two families
// alike, and this writer does not rename either, so that pair only round-trips in Prometheus text.
import type { ExemplarModel, FamilyModel, SampleModel } from './model.js';
import type { ExpositionFormat } from './formats.js';
import { ByteWriter } from './byte-writer.js';
import type { EscapingScheme } from './names.js';
import { escapePrometheusHelp } from './escape.js';
import { renderSeries, renderSpelledPairs } from './labels.js';
import { schemeOf, spellMetricName } from './names.js';
import { writeFamilyOM2 } from './om2-writer.js';

/** Serializes `families` in order, followed by the format's trailer (`# EOF` for OpenMetrics). */
export function writeModel(families: readonly FamilyModel[], format: ExpositionFormat): Buffer {
  const writer = new ByteWriter(16 * 1024);
  for (const family of families) writeFamilyModel(writer, family, format);
  writer.ascii(format.trailer);
  return writer.copy();
}

/** Appends one family: its header, then its samples in model order. */
export function writeFamilyModel(writer: ByteWriter, family: FamilyModel, format: ExpositionFormat): void {
  if (format.id === 'openmetrics2') return writeFamilyOM2(writer, family, format);
  // Names outside the legacy set are quoted or escaped as the format's scheme says (names.ts).
  const scheme = schemeOf(format);
  const spell = (name: string): string => spellMetricName(name, scheme);
  const bareCounter = family.type === 'counter' && family.samples.some((sample) => sample.name === family.name);
  if (format.openMetrics) {
    const exemplars = !bareCounter;
    writer.utf8(format.header(bareCounter ? { ...family, type: 'unknown' } : family, spell));
    // OpenMetrics 1.0 carries exemplars on a counter's total and on buckets only; a 2.0 parse may hang them
    // on a native-only histogram's `_count`, where 1.0 has no place for them.
    const bucket = `${family.name}_bucket`;
    for (const sample of family.samples) writeSample(writer, sample, format, scheme, exemplars && (family.type === 'counter' || sample.name === bucket));
    return;
  }
  writer.utf8(bareCounter ? bareCounterHeader(family, spell) : format.header(family, spell));
  const deferred: SampleModel[] = [];
  for (const sample of family.samples) {
    const suffix = sample.name.slice(family.name.length);
    if (suffix === '_created') continue;
    if (family.type === 'gaugehistogram' && (suffix === '_gcount' || suffix === '_gsum')) deferred.push(sample);
    else writeSample(writer, sample, format, scheme, false);
  }
  // Prometheus text has no gauge histogram: its totals follow as gauge families of their own.
  for (const suffix of ['_gsum', '_gcount']) {
    const samples = deferred.filter((sample) => sample.name === family.name + suffix);
    if (samples.length === 0) continue;
    const header = { name: family.name + suffix, type: 'gauge' as const, help: family.help };
    writer.utf8(format.header(header, spell));
    for (const sample of samples) writeSample(writer, sample, format, scheme, false);
  }
}

/** 0.0.4 HELP and TYPE named after the counter's own samples; formats.ts would add `_total`. */
function bareCounterHeader(family: FamilyModel, spell: (name: string) => string): string {
  const name = spell(family.name);
  const help = family.help === undefined ? '' : `# HELP ${name} ${escapePrometheusHelp(family.help)}\n`;
  return `${help}# TYPE ${name} counter\n`;
}

function writeSample(writer: ByteWriter, sample: SampleModel, format: ExpositionFormat, scheme: EscapingScheme, exemplars: boolean): void {
  writer.utf8(renderSeries(sample.name, sample.labels, scheme));
  writer.byte(0x20);
  writer.value(sample.value);
  if (sample.timestamp !== undefined) {
    writer.byte(0x20);
    writer.ascii(format.formatTimestamp(sample.timestamp));
  }
  if (exemplars && sample.exemplar !== undefined) writeExemplar(writer, sample.exemplar, format, scheme);
  writer.byte(0x0a);
}

/** ` # {labels} value [timestamp]` before a sample line's newline; families with exemplars on record calls use it too. */
export function writeExemplar(writer: ByteWriter, exemplar: ExemplarModel, format: ExpositionFormat, scheme: EscapingScheme = 'underscores'): void {
  writer.utf8(` # {${renderSpelledPairs(exemplar.labels, scheme)}} `);
  writer.value(exemplar.value);
  if (exemplar.timestamp !== undefined) {
    writer.byte(0x20);
    writer.ascii(format.formatTimestamp(exemplar.timestamp));
  }
}
