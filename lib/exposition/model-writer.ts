// Writes model families (parser output, collector output) in either format. The registry's own
// families use pre-rendered bytes instead; this path renders each line when called and suits
// collectors and tools, not 100k-series hot scrapes. Format differences come from formats.ts.
import type { ExemplarModel, FamilyModel, SampleModel } from './model.js';
import type { ExpositionFormat } from './formats.js';
import { ByteWriter } from './byte-writer.js';
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
  writer.utf8(format.header(family));
  if (format.openMetrics) {
    for (const sample of family.samples) writeSample(writer, sample, format);
    return;
  }
  const deferred: SampleModel[] = [];
  for (const sample of family.samples) {
    const suffix = sample.name.slice(family.name.length);
    if (suffix === '_created') continue;
    if (family.type === 'gaugehistogram' && (suffix === '_gcount' || suffix === '_gsum')) deferred.push(sample);
    else writeSample(writer, sample, format);
  }
  // Prometheus text has no gauge histogram: its totals follow as gauge families of their own.
  for (const suffix of ['_gsum', '_gcount']) {
    const samples = deferred.filter((sample) => sample.name === family.name + suffix);
    if (samples.length === 0) continue;
    const header = { name: family.name + suffix, type: 'gauge' as const, help: family.help };
    writer.utf8(format.header(header));
    for (const sample of samples) writeSample(writer, sample, format);
  }
}

function writeSample(writer: ByteWriter, sample: SampleModel, format: ExpositionFormat): void {
  writer.utf8(sample.name + renderLabelSet(renderLabelPairs(sample.labels)));
  writer.byte(0x20);
  writer.value(sample.value);
  if (sample.timestamp !== undefined) {
    writer.byte(0x20);
    writer.ascii(format.formatTimestamp(sample.timestamp));
  }
  if (sample.exemplar !== undefined && format.openMetrics) writeExemplar(writer, sample.exemplar, format);
  writer.byte(0x0a);
}

function writeExemplar(writer: ByteWriter, exemplar: ExemplarModel, format: ExpositionFormat): void {
  writer.utf8(` # {${renderLabelPairs(exemplar.labels)}} `);
  writer.value(exemplar.value);
  if (exemplar.timestamp !== undefined) {
    writer.byte(0x20);
    writer.ascii(format.formatTimestamp(exemplar.timestamp));
  }
}
