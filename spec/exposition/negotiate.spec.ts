// negotiateFormat: the Accept headers real scrapers send, then the rules one line each.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { negotiateFormat } from '../../lib/exposition/negotiate.js';

const OM = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const PROM = 'text/plain; version=0.0.4; charset=utf-8';
const OM2 = 'application/openmetrics-text; version=2.0.0; charset=utf-8';
const PROM1 = 'text/plain; version=1.0.0; charset=utf-8';
const NAMES: Record<string, string> = { [OM]: 'OpenMetrics', [PROM]: 'Prometheus text', [OM2]: 'OpenMetrics 2.0', [PROM1]: 'Prometheus text 1.0.0' };

const answers = (accept: string | undefined, expected: string, why: string): void =>
  test(`${why} gets ${NAMES[expected] ?? expected}`, () => {
    assert.is(negotiateFormat(accept).contentType, expected);
  });

// Accept headers real scrapers send (shared/OPENMETRICS-NOTES.md §11).
answers(undefined, PROM, 'a request with no Accept header (the documented curl)');
answers('', PROM, 'an empty Accept header');
answers('*/*', PROM, 'curl -H "Accept: */*"');
answers('text/plain;version=0.0.4;q=1,*/*;q=0.1', PROM, 'Prometheus 2.0-2.4');
answers('application/openmetrics-text; version=0.0.1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', OM, 'Prometheus 2.5-2.33');
answers(
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
  OM,
  'Prometheus 2.34-2.48',
);
answers(
  'application/openmetrics-text;version=1.0.0;q=0.75,application/openmetrics-text;q=0.6,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
  OM,
  'Prometheus 2.40.0',
);
// Prometheus with native histograms (protobuf first): negotiate-protobuf.spec.ts.
answers(
  'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
  OM,
  'Prometheus 2.49+',
);
// q=2 is no qvalue, so the broken wildcard range is ignored and cannot outrank either type.
answers('application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=2', OM, 'Prometheus 2.49.0 with its q=2 wildcard bug');
answers(
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
  `${OM}; escaping=allow-utf-8`,
  'Prometheus 3.x',
);
answers('text/plain;version=0.0.4;q=0.3,application/openmetrics-text;version=1.0.0;q=0.9', OM, 'a header listing the preferred type second');
answers('application/openmetrics-text;version=3.0.0', PROM, 'a request for an OpenMetrics version omen does not speak');
answers('application/openmetrics-text;q=0, */*', PROM, 'a client refusing OpenMetrics with q=0');
answers('application/*', OM, 'a client taking any application type');
answers('text/*;q=0.9, application/openmetrics-text;q=0.8', PROM, 'a client preferring any text type');
answers('application/json', PROM, 'a client asking only for something omen does not write');
answers('APPLICATION/OpenMetrics-Text; Version=1.0.0', OM, 'media types in another case');
answers('garbage;;;,,/', PROM, 'an unparseable header');

// Several ranges of one type: among equally specific ones the best q counts, not the first listed.
answers('application/openmetrics-text;version=0.0.1;q=0,application/openmetrics-text;version=1.0.0', OM, 'a refused OpenMetrics 0.0.1 listed before an accepted 1.0.0');
answers(
  'application/openmetrics-text;version=0.0.1;q=0.2,application/openmetrics-text;version=1.0.0;q=0.9,text/plain;q=0.5',
  OM,
  'OpenMetrics 1.0.0 at q=0.9 after 0.0.1 at q=0.2, against text/plain at q=0.5',
);
answers('text/plain;version=0.0.4;q=0.1,text/plain;version=1.0.0;q=0.8,application/openmetrics-text;q=0.5', `${PROM1}; escaping=underscores`, 'text/plain 1.0.0 at q=0.8 after 0.0.4 at q=0.1');
answers('application/openmetrics-text;version=1.0.0;q=0,application/openmetrics-text;q=0.9', PROM, 'a refused OpenMetrics 1.0.0 that a versionless range cannot override');
answers('application/openmetrics-text;q=0.1,application/openmetrics-text;version=1.0.0;q=0.9,text/plain;q=0.5', OM, 'a versioned range outranking a versionless one listed first');
answers('application/openmetrics-text;version=3.0.0;q=1,application/openmetrics-text;q=0.2,text/plain;q=0.3', PROM, 'an unsupported version that leaves only the versionless q');

// Prometheus 3 (prometheus/docs instrumenting/content_negotiation.md) and OpenMetrics 2.0: the escaping scheme
// of the winning range is echoed in Content-Type; 2.0.0 and text 1.0.0 only when a range names their version.
answers(
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1',
  `${OM}; escaping=allow-utf-8`,
  'Prometheus 3 default scrape protocols',
);
answers(
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1',
  `${OM}; escaping=allow-utf-8`,
  'the docs example spelling allow-utf8',
);
answers(
  'application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.5,text/plain;version=0.0.4;q=0.2,*/*;q=0.1',
  `${OM}; escaping=underscores`,
  'Prometheus 3 with metric_name_escaping_scheme underscores',
);
answers('text/plain;version=1.0.0;escaping=allow-utf-8;q=0.5,text/plain;version=0.0.4;q=0.2', `${PROM1}; escaping=allow-utf-8`, 'Prometheus 3 with PrometheusText1.0.0 first');
answers('text/plain;version=1.0.0;escaping=dots', `${PROM1}; escaping=dots`, 'a scraper asking for dots escaping');
answers('text/plain;version=1.0.0;escaping=values', `${PROM1}; escaping=values`, 'a scraper asking for value escaping');
answers('text/plain;version=1.0.0', `${PROM1}; escaping=underscores`, 'text 1.0.0 without a scheme (underscores, named)');
answers('text/plain;version=1.0.0;escaping=rot13;q=0.9,text/plain;version=0.0.4;q=0.1', PROM, 'an unknown escaping scheme, which nothing can answer');
answers('text/plain;version=0.0.4;escaping=dots', PROM, 'an escaping parameter on 0.0.4, which has none');
answers('application/openmetrics-text;version=2.0.0', OM2, 'an OpenMetrics 2.0 scraper');
answers('application/openmetrics-text;version=2.0.0;q=0.9,application/openmetrics-text;version=1.0.0;q=0.5', OM2, 'OpenMetrics 2.0 preferred over 1.0');
answers('application/openmetrics-text;version=2.0.0;escaping=underscores', `${OM2}; escaping=underscores`, 'OpenMetrics 2.0 with underscores escaping');
answers('application/openmetrics-text;version=1.0.0;q=0.9,application/openmetrics-text;version=2.0.0;q=0.5', OM, 'OpenMetrics 1.0 preferred over 2.0');
answers('application/openmetrics-text', OM, 'a versionless OpenMetrics range (1.0.0 stays the default)');
answers('application/*;q=0.9,text/plain;version=0.0.4;q=0.1', OM, 'a wildcard, which never selects 2.0.0');

test('variants are cached values, so a repeated answer is the same object', () => {
  const accept = 'text/plain;version=1.0.0;escaping=dots';
  const first = negotiateFormat(accept);
  negotiateFormat('text/plain');
  assert.is(negotiateFormat(accept), first);
  assert.is(first.escaping, 'dots');
});

// An invalid q ignores its range: neither q=1 nor a refusal.
for (const q of ['bogus', '-1', '0.0001', '1.0001', '2', '', '0.5.', '.5', '1.5']) {
  answers(`application/openmetrics-text;q=${q},text/plain;q=0.5`, PROM, `OpenMetrics with q=${JSON.stringify(q)} against text/plain at q=0.5`);
  answers(`text/plain;q=${q},application/openmetrics-text;q=0.5`, OM, `text/plain with q=${JSON.stringify(q)} against OpenMetrics at q=0.5`);
}
answers('application/openmetrics-text;q=1.000,text/plain;q=0.999', OM, 'the longest valid qvalues, 1.000 against 0.999');
answers('application/openmetrics-text;q=0.,text/plain;q=0.001', PROM, 'q=0. (a refusal) against q=0.001');

// Quoted parameter values may hold commas and semicolons without splitting the header.
answers('application/openmetrics-text;note="a, b; c";q=0.3,text/plain;q=0.5', PROM, 'a quoted value with a comma and a semicolon before the q it precedes');
answers('text/plain;q=0.1,application/openmetrics-text;version="1.0.0";q=0.9', OM, 'a quoted version');
answers('application/openmetrics-text;note="x,text/plain",*/*;q=0.1', OM, 'a quoted value that looks like another range');
answers('application/openmetrics-text;note="\\",q=0.1",text/plain;q=0.5', OM, 'an escaped quote that does not end a quoted value (its q=0.1 is text)');
answers('application/openmetrics-text;note="unterminated, text/plain', PROM, 'an unterminated quoted value, which spoils the rest of the header');
answers(' application/openmetrics-text ; version = 1.0.0 ; q = 0.9 , text/plain ; q=0.5', OM, 'blanks around every separator');

test('the answer kept for a repeated header never leaks into the next, different one', () => {
  const om = 'application/openmetrics-text;version=1.0.0';
  const prom = 'text/plain;version=0.0.4';
  const answers = [om, om, prom, prom, om, undefined, om].map((accept) => negotiateFormat(accept).contentType);
  assert.equal(answers, [OM, OM, PROM, PROM, OM, PROM, OM]);
});

test.run();
