// Spec helper: one family's exposition in a format, without a registry, as a string.
import type { ExpositionFormat } from '../../lib/exposition/formats.js';
import type { Child, Family } from '../../lib/metrics/family.js';
import type { MetricError } from '../../lib/metrics/errors.js';
import { ByteWriter } from '../../lib/exposition/byte-writer.js';
import { PROMETHEUS } from '../../lib/exposition/formats.js';
import { parse } from '../../lib/exposition/parse/parser.js';

/** Renders `family` and, as every serializer test should, checks that the strict parser accepts it. */
export function render(family: Family<Child>, format: ExpositionFormat = PROMETHEUS, wallMs = 0): string {
  const writer = new ByteWriter();
  family.writeTo(writer, { format, stamp: Buffer.from(` ${format.formatTimestamp(wallMs / 1000)}`) });
  const text = writer.view().toString('utf8');
  parse(text + format.trailer, { format: format.id });
  return text;
}

/** Routes a family's hot-path errors into an array the spec can inspect. */
export function collectErrors(family: { onError: (error: MetricError) => void }): MetricError[] {
  const errors: MetricError[] = [];
  family.onError = (error) => errors.push(error);
  return errors;
}
