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
import { escapePrometheusHelp } from './escape.js';
import { renderLabelPairs, renderLabelSet } from './labels.js';

/** Serializes `families` in order, followed by the format's trailer (`# EOF` for OpenMetrics). */
export function writeModel(families: readonly FamilyModel[], format: ExpositionFormat): Buffer {
  const writer = new ByteWriter(16 * 1024);
  for (const family of families) writeFamilyModel(writer, family, format);
  writer.ascii(format.trailer);
  return writer.copy();
}

/** Appends one family: its header, then its samples in model order. */
export function writeFamilyModel(writer: ByteWriter, family: FamilyModel, format: ExpositionFormat): void {
  const bareCounter = family.type === 'counter' && family.samples.some((sample) => sample.name === family.name);
  if (format.openMetrics) {
    const exemplars = !bareCounter;
    writer.utf8(format.header(bareCounter ? { ...family, type: 'unknown' } : family));
    for (const sample of family.samples) writeSample(writer, sample, format, exemplars);
    return;
  }
  writer.utf8(bareCounter ? bareCounterHeader(family) : format.header(family));
  const deferred: SampleModel[] = [];
  for (const sample of family.samples) {
    const suffix = sample.name.slice(family.name.length);
    if (suffix === '_created') continue;
    if (family.type === 'gaugehistogram' && (suffix === '_gcount' || suffix === '_gsum')) deferred.push(sample);
    else writeSample(writer, sample, format, false);
  }
  // Prometheus text has no gauge histogram: its totals follow as gauge families of their own.
  for (const suffix of ['_gsum', '_gcount']) {
    const samples = deferred.filter((sample) => sample.name === family.name + suffix);
    if (samples.length === 0) continue;
    const header = { name: family.name + suffix, type: 'gauge' as const, help: family.help };
    writer.utf8(format.header(header));
    for (const sample of samples) writeSample(writer, sample, format, false);
  }
}

/** 0.0.4 HELP and TYPE named after the counter's own samples; formats.ts would add `_total`. */
function bareCounterHeader(family: FamilyModel): string {
  const help = family.help === undefined ? '' : `# HELP ${family.name} ${escapePrometheusHelp(family.help)}\n`;
  return `${help}# TYPE ${family.name} counter\n`;
}

function writeSample(writer: ByteWriter, sample: SampleModel, format: ExpositionFormat, exemplars: boolean): void {
  writer.utf8(sample.name + renderLabelSet(renderLabelPairs(sample.labels)));
  writer.byte(0x20);
  writer.value(sample.value);
  if (sample.timestamp !== undefined) {
    writer.byte(0x20);
    writer.ascii(format.formatTimestamp(sample.timestamp));
  }
  if (exemplars && sample.exemplar !== undefined) writeExemplar(writer, sample.exemplar, format);
  writer.byte(0x0a);
}

/** ` # {labels} value [timestamp]` before a sample line's newline; families with exemplars on record calls use it too. */
export function writeExemplar(writer: ByteWriter, exemplar: ExemplarModel, format: ExpositionFormat): void {
  writer.utf8(` # {${renderLabelPairs(exemplar.labels)}} `);
  writer.value(exemplar.value);
  if (exemplar.timestamp !== undefined) {
    writer.byte(0x20);
    writer.ascii(format.formatTimestamp(exemplar.timestamp));
  }
}
