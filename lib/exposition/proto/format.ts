// The protobuf row of the formats table. It has no text header or trailer: a registry sees `binary` and writes
// MetricFamily messages instead (lib/metrics/proto-family.ts); created timestamps and exemplars exist in it.
import type { ExpositionFormat, FormatId } from '../formats.js';
import { formatSeconds } from '../numbers.js';
import { CONTENT_TYPE } from './schema.js';

export interface BinaryFormat extends ExpositionFormat {
  readonly binary: true;
}

export const PROTOBUF: BinaryFormat = {
  // FormatId names the formats the text path caches rendered bytes by; a registry routes this row away before
  // any text cache, so 'protobuf' only ever keys the server's in-flight scrapes (a Map that takes any string).
  id: 'protobuf' as string as FormatId,
  contentType: CONTENT_TYPE,
  trailer: '',
  openMetrics: true,
  binary: true,
  formatTimestamp: formatSeconds,
  header: () => '',
};

export function isBinary(format: ExpositionFormat): format is BinaryFormat {
  return (format as Partial<BinaryFormat>).binary === true;
}
