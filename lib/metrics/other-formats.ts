// Where a family is written in a format its type does not pre-render: OpenMetrics 2.0, or any format once a
// name lies outside the legacy set. Number-valued families with legacy names transcode their 1.0 lines
// (om2-transcode.ts, about a 1.0 scrape plus a copy); the rest go through the model (family-model.ts, about
// a parse). Holds: a legacy-named family in 1.0 or Prometheus text never comes here (writeTo serves it).
import type { ByteWriter } from '../exposition/byte-writer.js';
import type { ExpositionFormat } from '../exposition/formats.js';
import type { Child, Family, ScrapeContext } from './family.js';
import { OPENMETRICS } from '../exposition/formats.js';
import { writeFamilyModel } from '../exposition/model-writer.js';
import { familyModel } from './family-model.js';
import { canTranscode, transcodeToOM2 } from './om2-transcode.js';

/** Whether `format` needs this path for a family; `utf8`: the family has a name outside the legacy set. */
export function needsOtherPath(format: ExpositionFormat, utf8: boolean): boolean {
  return utf8 || format.id === 'openmetrics2';
}

/** Writes `family` in `context.format` through the transcoder or the model; `scratch` is a reusable buffer. */
export function writeOther(writer: ByteWriter, family: Family<Child>, context: ScrapeContext, utf8: boolean, wallSeconds: number, scratch: ByteWriter): void {
  const { format } = context;
  if (format.id === 'openmetrics2' && !utf8 && canTranscode(family)) return transcodeToOM2(family, writer, scratch, context.stamp);
  // The model is read from the family's 1.0 lines, whose timestamps are seconds.
  const stamp = format.formatTimestamp === OPENMETRICS.formatTimestamp ? context.stamp : Buffer.from(` ${OPENMETRICS.formatTimestamp(wallSeconds)}`, 'latin1');
  writeFamilyModel(writer, familyModel(family, scratch, stamp, wallSeconds), format);
}
