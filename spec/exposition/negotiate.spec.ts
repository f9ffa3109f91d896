import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { negotiateFormat } from '../../lib/exposition/negotiate.js';

const OM = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const PROM = 'text/plain; version=0.0.4; charset=utf-8';

const answers = (accept: string | undefined, expected: string, why: string) =>
  test(`${why} gets ${expected === OM ? 'OpenMetrics' : 'Prometheus text'}`, () => {
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
answers(
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
  OM,
  'Prometheus 2.40-2.48 with native histograms',
);
answers(
  'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
  OM,
  'Prometheus 2.49+',
);
// The most specific range sets each type's q, so the broken wildcard does not outrank either.
answers('application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=2', OM, 'Prometheus 2.49.0 with its q=2 wildcard bug');
answers(
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
  OM,
  'Prometheus 3.x',
);
answers('text/plain;version=0.0.4;q=0.3,application/openmetrics-text;version=1.0.0;q=0.9', OM, 'a header listing the preferred type second');
answers('application/openmetrics-text;version=2.0.0', PROM, 'a request for an OpenMetrics version omen does not speak');
answers('application/openmetrics-text;q=0, */*', PROM, 'a client refusing OpenMetrics with q=0');
answers('application/*', OM, 'a client taking any application type');
answers('text/*;q=0.9, application/openmetrics-text;q=0.8', PROM, 'a client preferring any text type');
answers('application/json', PROM, 'a client asking only for something omen does not write');
answers('APPLICATION/OpenMetrics-Text; Version=1.0.0', OM, 'media types in another case');
answers('garbage;;;,,/', PROM, 'an unparseable header');

test.run();
