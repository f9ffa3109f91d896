// The `escaping=` parameter of an Accept range (prometheus/docs instrumenting/escaping_schemes.md) as a small
// code the negotiator keeps per candidate, and the format variant that answers it. Cost: a compare per
// scheme name, no allocation; variants come from the escaping-formats.ts cache.
// Holds: text/plain 1.0.0 always names a scheme in its Content-Type (underscores when none was asked for);
// OpenMetrics 1.0.0 and 2.0.0 name one only when asked, so their plain Content-Types stay as they were.
import type { ExpositionFormat } from './formats.js';
import type { EscapingScheme } from './names.js';
import { PROMETHEUS_TEXT_1, withEscaping } from './escaping-formats.js';
import { PROMETHEUS } from './formats.js';
import { ESCAPING_SCHEMES } from './names.js';

export const ESCAPING_NONE = 0;
export const ESCAPING_INVALID = -1;
/** Code k (1-based) is ESCAPING_SCHEMES[k - 1]; `allow-utf8` is the docs' spelling of `allow-utf-8`. */
const SPELLINGS: ReadonlyArray<readonly [string, number]> = [
  ...ESCAPING_SCHEMES.map((scheme, i) => [scheme, i + 1] as const),
  ['allow-utf8', 1],
];

/** The code of text[from, to) as an escaping scheme name (case-sensitive, as Prometheus writes it). */
export function escapingCode(text: string, from: number, to: number): number {
  for (const [name, code] of SPELLINGS) if (name.length === to - from && text.startsWith(name, from)) return code;
  return ESCAPING_INVALID;
}

/** The format to answer with: `format` itself, or its variant naming the scheme of `code`. */
export function withScheme(format: ExpositionFormat, code: number): ExpositionFormat {
  // Text 0.0.4 has no escaping parameter ([content_negotiation.md] "Content-Type Response"): underscores.
  if (format === PROMETHEUS) return format;
  const scheme: EscapingScheme | undefined = code > 0 ? ESCAPING_SCHEMES[code - 1] : undefined;
  if (scheme !== undefined) return withEscaping(format, scheme);
  return format === PROMETHEUS_TEXT_1 ? withEscaping(format, 'underscores') : format;
}
