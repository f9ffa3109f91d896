// The OpenMetrics project's own parser cases (prometheus/OpenMetrics tests/testdata/parsers), read in place
// from ../shared/openmetrics-tests next to the repository; never copied in. One test per case folder.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { ParseError, parse } from '../../lib/exposition/parse/parser.js';

/** dist/spec/exposition/ → the folder beside the repository root. */
const CONFORMANCE_DIR = new URL('../../../../shared/openmetrics-tests/', import.meta.url);

interface ConformanceCase {
  name: string;
  shouldParse: boolean;
  comment: string | undefined;
  input: Buffer;
}

/** Every case folder holding a test.json, sorted by name; an empty list when the suite is absent. */
function conformanceCases(): ConformanceCase[] {
  if (!existsSync(CONFORMANCE_DIR)) return [];
  const cases: ConformanceCase[] = [];
  for (const name of readdirSync(CONFORMANCE_DIR).sort()) {
    const descriptor = new URL(`${name}/test.json`, CONFORMANCE_DIR);
    if (!existsSync(descriptor)) continue;
    const json = JSON.parse(readFileSync(descriptor, 'utf8')) as { type?: string; file?: string; shouldParse?: boolean; comment?: string };
    // The README: fail loudly on a case type other than text rather than skip it silently.
    if (json.type !== 'text') throw new Error(`conformance case ${name}: unsupported type ${JSON.stringify(json.type)}`);
    cases.push({
      name,
      shouldParse: json.shouldParse === true,
      comment: json.comment,
      input: readFileSync(new URL(`${name}/${json.file ?? 'metrics'}`, CONFORMANCE_DIR)),
    });
  }
  return cases;
}

const cases = conformanceCases();
if (cases.length === 0) {
  console.log(`conformance: skipped, no OpenMetrics test cases at ${CONFORMANCE_DIR.pathname} (they live outside the repository)`);
}
for (const { name, shouldParse, comment, input } of cases) {
  const note = comment === undefined ? '' : ` (${comment})`;
  test(`${name} ${shouldParse ? 'parses' : 'is rejected'}${note}`, () => {
    let error: unknown;
    try {
      parse(input);
    } catch (caught) {
      error = caught;
    }
    if (shouldParse) {
      assert.is(error, undefined, error instanceof Error ? error.message : String(error));
    } else {
      assert.instance(error, ParseError, `expected a ParseError, got ${error === undefined ? 'a result' : String(error)}`);
    }
  });
}
test.run();
