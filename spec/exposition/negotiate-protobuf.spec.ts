// negotiateFormat and the protobuf format: the Accept headers Prometheus sends with native histograms on (2.40+
// and 3.x protobuf-first) get protobuf; the same versions without them get text; a wildcard never gets binary.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { negotiateFormat } from '../../lib/exposition/negotiate.js';

const PB = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';
const OM = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const PROM = 'text/plain; version=0.0.4; charset=utf-8';
// Prometheus 3 names an escaping scheme; the answer echoes it (negotiate-escaping.ts).
const OM_UTF8 = `${OM}; escaping=allow-utf-8`;
const NAMES: Record<string, string> = { [PB]: 'protobuf', [OM]: 'OpenMetrics', [OM_UTF8]: 'OpenMetrics with its escaping scheme', [PROM]: 'Prometheus text' };

const answers = (accept: string, expected: string, why: string): void =>
  test(`${why} gets ${NAMES[expected]}`, () => {
    assert.is(negotiateFormat(accept).contentType, expected);
  });

// Prometheus 2.42 (Debian's), byte for byte as captured from it by spec/exposition/prometheus-native.spec.ts.
export const PROMETHEUS_2_42_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
export const PROMETHEUS_2_42_NATIVE_ACCEPT =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
answers(PROMETHEUS_2_42_ACCEPT, OM, 'Prometheus 2.42 without native histograms');
answers(PROMETHEUS_2_42_NATIVE_ACCEPT, PB, 'Prometheus 2.42 with --enable-feature=native-histograms');
// prometheus/docs docs/instrumenting/content_negotiation.md, "Protobuf-First Accept Header" (its `*/*` restored).
answers(
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,application/openmetrics-text;version=1.0.0;escaping=allow-utf8;q=0.4,application/openmetrics-text;version=0.0.1;q=0.3,text/plain;version=1.0.0;escaping=allow-utf8;q=0.2,text/plain;version=0.0.4;q=0.1,*/*;q=0.0',
  PB,
  'Prometheus 3 protobuf-first',
);
answers(
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1',
  OM_UTF8,
  'Prometheus 3 default (protobuf not listed)',
);
answers('application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.4,application/openmetrics-text;q=0.5', OM, 'protobuf listed first but weighted lower');
answers('application/vnd.google.protobuf;q=0,*/*', PROM, 'a client refusing protobuf');
answers('*/*', PROM, 'a bare wildcard (never binary)');
answers('application/*', OM, 'an application wildcard (never binary)');
answers('APPLICATION/VND.GOOGLE.PROTOBUF;proto=io.prometheus.client.MetricFamily;encoding=delimited', PB, 'the media type in another case');
answers('application/openmetrics-text;version=1.0.0;q=0.5,application/vnd.google.protobuf;q=0.5', OM, 'a tie in q, OpenMetrics listed first');

test.run();
