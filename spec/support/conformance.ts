// The conformance corpora the parser specs and `omen lint` run: omen's own OpenMetrics 1.0 cases in
// fixtures/conformance/ (always present; each case names the spec section it tests), and the upstream
// OpenMetrics suite read in place from ../shared/openmetrics-tests when it sits beside the repository.
// Each runner reports what it ran with conformanceReport(); spec/run.mjs sums those lines per corpus.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type CorpusName = 'omen' | 'upstream';

export interface ConformanceCase {
  corpus: CorpusName;
  name: string;
  /** The OpenMetrics 1.0 section the case tests (omen's corpus), or the upstream case's comment. */
  section: string;
  valid: boolean;
  input: Buffer;
  /** A file holding exactly `input`, for runners that read files (upstream cases only). */
  path?: string;
}

/** dist/spec/support/ → the repository's fixtures/conformance/. */
export const OWN_DIR = fileURLToPath(new URL('../../../fixtures/conformance/', import.meta.url));
/** dist/spec/support/ → the folder beside the repository. */
export const UPSTREAM_DIR = fileURLToPath(new URL('../../../../shared/openmetrics-tests/', import.meta.url));

interface OwnFile {
  cases: Array<{ name: string; section: string; valid: boolean; input?: string; inputHex?: string }>;
}

/** Every case of omen's own corpus, file by file; throws when the corpus is missing or empty. */
export function ownCases(): ConformanceCase[] {
  const files = readdirSync(OWN_DIR).filter((name) => name.endsWith('.json')).sort();
  const cases = files.flatMap((file) =>
    (JSON.parse(readFileSync(`${OWN_DIR}${file}`, 'utf8')) as OwnFile).cases.map((entry) => ({
      corpus: 'omen' as const,
      name: `${file.slice(0, -'.json'.length)}: ${entry.name}`,
      section: entry.section,
      valid: entry.valid,
      input: entry.input !== undefined ? Buffer.from(entry.input, 'utf8') : Buffer.from(entry.inputHex ?? '', 'hex'),
    })),
  );
  if (cases.length === 0) throw new Error(`no conformance cases in ${OWN_DIR}: the corpus belongs to the repository`);
  return cases;
}

/** Every upstream case folder with a test.json, sorted; undefined when the suite is not beside the repository. */
export function upstreamCases(): ConformanceCase[] | undefined {
  if (!existsSync(UPSTREAM_DIR)) return undefined;
  const cases: ConformanceCase[] = [];
  for (const name of readdirSync(UPSTREAM_DIR).sort()) {
    const descriptor = `${UPSTREAM_DIR}${name}/test.json`;
    if (!existsSync(descriptor)) continue;
    const json = JSON.parse(readFileSync(descriptor, 'utf8')) as { type?: string; file?: string; shouldParse?: boolean; comment?: string };
    // Its README: fail loudly on a case type other than text rather than skip it silently.
    if (json.type !== 'text') throw new Error(`conformance case ${name}: unsupported type ${JSON.stringify(json.type)}`);
    const path = `${UPSTREAM_DIR}${name}/${json.file ?? 'metrics'}`;
    cases.push({ corpus: 'upstream', name, section: json.comment ?? '', valid: json.shouldParse === true, input: readFileSync(path), path });
  }
  return cases;
}

/**
 * One line spec/run.mjs reads: `conformance: <corpus> <runner> ran N skipped M[ (reason)]`. A runner that
 * skips a whole corpus says why.
 */
export function conformanceReport(corpus: CorpusName, runner: string, ran: number, skipped: number, reason?: string): void {
  console.log(`conformance: ${corpus} ${runner} ran ${ran} skipped ${skipped}${reason === undefined ? '' : ` (${reason})`}`);
}
