// OpenMetrics 2.0 lines for the families whose samples are plain numbers (gauge, unknown, info, stateset,
// the windowed gauges, counters), taken from their 1.0 lines: the same bytes under a 2.0 header, a
// counter's `_created` line folded into its total's line as `st@`. Cost: the family's 1.0 render into a
// scratch buffer plus one copy (about a 1.0 scrape); no string per sample. Holds only for legacy names:
// families with UTF-8 names, and histograms and summaries (composite values) take the model path.
import type { ByteWriter } from '../exposition/byte-writer.js';
import type { MetricType } from '../exposition/model.js';
import type { Child, Family } from './family.js';
import { OPENMETRICS } from '../exposition/formats.js';
import { OPENMETRICS2 } from '../exposition/om2-format.js';

const NUMBER_TYPES: ReadonlySet<MetricType> = new Set(['gauge', 'unknown', 'info', 'stateset', 'counter']);
const LF = 10;
const SPACE = 32;

export function canTranscode(family: Family<Child>): boolean {
  return NUMBER_TYPES.has(family.type);
}

/** Appends the family in OpenMetrics 2.0 to `writer`, rendering its 1.0 lines into `scratch` first. */
export function transcodeToOM2(family: Family<Child>, writer: ByteWriter, scratch: ByteWriter, stamp: Uint8Array): void {
  scratch.reset();
  family.writeTo(scratch, { format: OPENMETRICS, stamp });
  const bytes = scratch.view();
  const skip = Buffer.byteLength(OPENMETRICS.header(family), 'utf8');
  const name = family.type === 'counter' ? `${family.name}_total` : family.type === 'info' ? `${family.name}_info` : family.name;
  writer.utf8(OPENMETRICS2.header({ name, type: family.type, help: family.help, unit: family.unit }));
  if (family.type !== 'counter') {
    writer.bytes(bytes, skip, bytes.length);
    return;
  }
  // Counter lines come in pairs: `x_total{…} v[ ts]` then `x_created{…} c[ ts]`; label values may hold
  // spaces, the numbers never do, so `c` is found from the end of its line.
  const stamped = family.timestamps;
  let at = skip;
  while (at < bytes.length) {
    const totalEnd = bytes.indexOf(LF, at);
    const createdEnd = bytes.indexOf(LF, totalEnd + 1);
    let valueEnd = createdEnd;
    if (stamped) valueEnd = bytes.lastIndexOf(SPACE, createdEnd - 1);
    const valueStart = bytes.lastIndexOf(SPACE, valueEnd - 1) + 1;
    writer.bytes(bytes, at, totalEnd);
    writer.ascii(' st@');
    writer.bytes(bytes, valueStart, valueEnd);
    writer.byte(LF);
    at = createdEnd + 1;
  }
}
