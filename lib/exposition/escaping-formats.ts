// Prometheus 3's text (`text/plain; version=1.0.0`) and the escaping-scheme variants of every text format,
// as format values the negotiator hands out. A variant differs from its base only in how names outside the
// legacy set are written and in its Content-Type, which names the scheme ([content_negotiation.md]:
// "For text formats version 1.0.0 and above, the escaping scheme parameter"). Variants are built once
// and cached, so a format value can key a scrape cache. Holds: legacy names are written identically in all.
import type { ExpositionFormat } from './formats.js';
import type { EscapingScheme } from './names.js';
import { PROMETHEUS } from './formats.js';

/** Prometheus text 1.0.0: 0.0.4's grammar plus quoted UTF-8 names; the same bytes for legacy names. */
export const PROMETHEUS_TEXT_1: ExpositionFormat = { ...PROMETHEUS, contentType: 'text/plain; version=1.0.0; charset=utf-8' };

const variants = new Map<ExpositionFormat, Map<EscapingScheme, ExpositionFormat>>();

/** `format` answering with `scheme`: same grammar, Content-Type `…; escaping=<scheme>`. Cached per pair. */
export function withEscaping(format: ExpositionFormat, scheme: EscapingScheme): ExpositionFormat {
  let byScheme = variants.get(format);
  if (byScheme === undefined) variants.set(format, (byScheme = new Map()));
  let variant = byScheme.get(scheme);
  if (variant === undefined) {
    variant = { ...format, escaping: scheme, contentType: `${format.contentType}; escaping=${scheme}` };
    byScheme.set(scheme, variant);
  }
  return variant;
}
