// Content negotiation: an Accept header to the format to answer with. Pure, no I/O.
// Rules (RFC 9110 §12.5.1): the most specific matching media range sets a format's q; q=0 refuses it;
// the highest q wins. Ties go to the format named explicitly, then to the one listed first. With no
// header, or nothing acceptable, the answer is Prometheus text 0.0.4: a scraper must never get nothing.
import type { ExpositionFormat } from './formats.js';
import { OPENMETRICS, PROMETHEUS } from './formats.js';

interface MediaRange {
  type: string;
  subtype: string;
  version: string | undefined;
  q: number;
  position: number;
}

interface Candidate {
  format: ExpositionFormat;
  type: string;
  subtype: string;
  /** Versions we can answer for; `undefined` stands for a range without a version parameter. */
  versions: ReadonlySet<string | undefined>;
}

// OpenMetrics 0.0.1 is what Prometheus 2.5-2.33 asked for; 1.0.0 is a compatible superset it parses.
const CANDIDATES: readonly Candidate[] = [
  { format: OPENMETRICS, type: 'application', subtype: 'openmetrics-text', versions: new Set([undefined, '1.0.0', '0.0.1']) },
  // text/plain version=1.0.0 (Prometheus 3) is 0.0.4 plus quoted UTF-8 names, which omen never needs.
  { format: PROMETHEUS, type: 'text', subtype: 'plain', versions: new Set([undefined, '0.0.4', '1.0.0']) },
];

export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (accept === undefined || accept.trim() === '') return PROMETHEUS;
  const ranges = parseAccept(accept);
  let best: { format: ExpositionFormat; q: number; explicit: boolean; position: number } | undefined;
  for (const candidate of CANDIDATES) {
    const match = bestMatch(candidate, ranges);
    if (match === undefined || match.range.q <= 0) continue;
    const entry = { format: candidate.format, q: match.range.q, explicit: match.specificity === 2, position: match.range.position };
    if (best === undefined || isBetter(entry, best)) best = entry;
  }
  return best?.format ?? PROMETHEUS;
}

function isBetter(
  a: { q: number; explicit: boolean; position: number; format: ExpositionFormat },
  b: { q: number; explicit: boolean; position: number; format: ExpositionFormat },
): boolean {
  if (a.q !== b.q) return a.q > b.q;
  if (a.explicit !== b.explicit) return a.explicit;
  if (!a.explicit) return a.format === PROMETHEUS;
  return a.position < b.position;
}

/** The most specific range that matches the candidate: 2 exact type, 1 `type/*`, 0 `*\/*`. */
function bestMatch(candidate: Candidate, ranges: readonly MediaRange[]): { range: MediaRange; specificity: number } | undefined {
  let found: { range: MediaRange; specificity: number } | undefined;
  for (const range of ranges) {
    let specificity: number;
    if (range.type === candidate.type && range.subtype === candidate.subtype) {
      if (!candidate.versions.has(range.version)) continue;
      specificity = 2;
    } else if (range.type === candidate.type && range.subtype === '*') specificity = 1;
    else if (range.type === '*' && range.subtype === '*') specificity = 0;
    else continue;
    if (found === undefined || specificity > found.specificity) found = { range, specificity };
  }
  return found;
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  const parts = accept.split(',');
  for (let position = 0; position < parts.length; position++) {
    const [mediaType = '', ...params] = parts[position]!.split(';');
    const slash = mediaType.indexOf('/');
    if (slash < 0) continue;
    const range: MediaRange = {
      type: mediaType.slice(0, slash).trim().toLowerCase(),
      subtype: mediaType.slice(slash + 1).trim().toLowerCase(),
      version: undefined,
      q: 1,
      position,
    };
    for (const param of params) {
      const equals = param.indexOf('=');
      if (equals < 0) continue;
      const key = param.slice(0, equals).trim().toLowerCase();
      const value = param.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1');
      if (key === 'q') {
        const q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 1;
        range.q = q;
      } else if (key === 'version') range.version = value;
    }
    ranges.push(range);
  }
  return ranges;
}
