// The parser against both conformance corpora: omen's own OpenMetrics 1.0 cases (fixtures/conformance/, every
// clone has them) and the OpenMetrics project's parser cases, read in place from ../shared/openmetrics-tests
// when that folder sits beside the repository (never copied in). One test per case.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ConformanceCase } from '../support/conformance.js';
import { ParseError, parse } from '../../lib/exposition/parse/parser.js';
import { UPSTREAM_DIR, conformanceReport, ownCases, upstreamCases } from '../support/conformance.js';

function check({ corpus, name, section, valid, input }: ConformanceCase): void {
  const where = corpus === 'omen' ? `[S "${section}"]` : section === '' ? '' : `(${section})`;
  test(`${corpus} ${name} ${valid ? 'parses' : 'is rejected'} ${where}`, () => {
    let error: unknown;
    try {
      parse(input);
    } catch (caught) {
      error = caught;
    }
    if (valid) {
      assert.is(error, undefined, error instanceof Error ? error.message : String(error));
    } else {
      assert.instance(error, ParseError, `expected a ParseError, got ${error === undefined ? 'a result' : String(error)}`);
    }
  });
}

const own = ownCases();
own.forEach(check);
conformanceReport('omen', 'parser', own.length, 0);

const upstream = upstreamCases();
if (upstream === undefined) {
  conformanceReport('upstream', 'parser', 0, 0, `no suite at ${UPSTREAM_DIR}; it lives outside the repository`);
} else {
  upstream.forEach(check);
  conformanceReport('upstream', 'parser', upstream.length, 0);
}

test.run();
