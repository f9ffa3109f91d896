// The scraper configurations in examples/: Prometheus' is checked by Debian's `promtool check config` when it
// is installed; every one must scrape the metrics path, send the Tecton-key header and poll every 30 s.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUTH_SCHEME } from '../../lib/server/auth.js';
import { METRICS_PATH } from '../../lib/server/metrics-route.js';
import { findOnPath } from '../support/processes.js';
import { tempDir } from './harness.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const PROMETHEUS = 'prometheus/prometheus.yml';
const KEY_FILE_PLACEHOLDER = '/etc/prometheus/tecton-api-key';

/** How each configuration says "every 30 seconds" in its own dialect. */
const CONFIGS: [file: string, interval: RegExp][] = [
  [PROMETHEUS, /^\s*scrape_interval: 30s$/m],
  ['otel-collector/config.yaml', /^\s*scrape_interval: 30s$/m],
  ['splunk-otel-collector/config.yaml', /^\s*collection_interval: 30s$/m],
  ['datadog/openmetrics.d/conf.yaml', /^\s*min_collection_interval: 30$/m],
  ['prometheus/prometheus-https.yml', /^\s*scrape_interval: 30s$/m],
  ['otel-collector/config-https.yaml', /^\s*scrape_interval: 30s$/m],
  ['splunk-otel-collector/config-https.yaml', /^\s*collection_interval: 30s$/m],
  ['datadog-https/openmetrics.d/conf.yaml', /^\s*min_collection_interval: 30$/m],
];

/** The HTTPS variants: an https URL or scheme, and the CA that signed omen's certificate. */
const HTTPS: [file: string, scheme: RegExp, ca: RegExp][] = [
  ['prometheus/prometheus-https.yml', /^\s*scheme: https$/m, /^\s*ca_file: \S+$/m],
  ['otel-collector/config-https.yaml', /^\s*scheme: https$/m, /^\s*ca_file: \S+$/m],
  ['splunk-otel-collector/config-https.yaml', /endpoint: https:\/\//, /^\s*ca_file: \S+$/m],
  ['datadog-https/openmetrics.d/conf.yaml', /openmetrics_endpoint: https:\/\//, /^\s*tls_ca_cert: \S+$/m],
];

const read = (file: string) => readFileSync(join(EXAMPLES, file), 'utf8');

test('every scraper configuration in examples/ is checked here', () => {
  const files = (readdirSync(EXAMPLES, { recursive: true }) as string[]).filter((file) => /\.ya?ml$/.test(file)).sort();
  assert.equal(files, CONFIGS.map(([file]) => file).sort());
});

for (const [file, interval] of CONFIGS) {
  test(`${file} scrapes ${METRICS_PATH} with a ${AUTH_SCHEME} key every 30 s`, () => {
    const text = read(file);
    assert.ok(text.includes(METRICS_PATH), 'the metrics path');
    assert.match(text, new RegExp(`(type: ${AUTH_SCHEME}$|Authorization: "${AUTH_SCHEME} |Authorization: ENC\\[\\w+\\]$)`, 'm'));
    assert.match(text, interval);
    for (const [line, value] of text.matchAll(/^\s*\w*interval: (\S+)$/gm)) assert.ok(value === '30s' || value === '30', `another interval: ${line!.trim()}`);
  });
}

for (const [file, scheme, ca] of HTTPS) {
  test(`${file} scrapes over https and trusts a named CA`, () => {
    const text = read(file);
    assert.match(text, scheme);
    assert.match(text, ca);
    assert.not.match(text, /insecure_skip_verify: true|tls_verify: false/);
  });
}

test('the Datadog example passes the key as an ENC[] secret that is the whole header value', () => {
  const text = read('datadog/openmetrics.d/conf.yaml');
  // The Agent resolves ENC[handle] only as a complete YAML value; inside other text it is sent verbatim.
  for (const [line] of text.matchAll(/^[^#\n]*ENC\[.*$/gm)) assert.match(line!, /:\s+ENC\[\w+\]\s*$/, `ENC[] is the whole value: ${line}`);
  assert.match(text, /^\s+Authorization: ENC\[tecton_authorization\]$/m);
  assert.ok(text.includes(`${AUTH_SCHEME} <API key>`), 'the comments say what the secret holds');
});

const promtool = findOnPath('promtool');

if (promtool === undefined) {
  console.log(`examples: skipped promtool check of ${PROMETHEUS}: no "promtool" on PATH (apt-get install -y prometheus)`);
  test.skip(`promtool accepts ${PROMETHEUS}`);
} else {
  test(`promtool accepts ${PROMETHEUS} with its key file filled in`, () => {
    const dir = tempDir('omen-promtool-');
    try {
      const keyFile = join(dir, 'tecton-api-key');
      writeFileSync(keyFile, 'spec-key\n', { mode: 0o600 });
      const text = read(PROMETHEUS);
      assert.ok(text.includes(KEY_FILE_PLACEHOLDER), `the example names ${KEY_FILE_PLACEHOLDER}`);
      const config = join(dir, 'prometheus.yml');
      writeFileSync(config, text.replace(KEY_FILE_PLACEHOLDER, keyFile));
      const result = spawnSync(promtool, ['check', 'config', config], { encoding: 'utf8', timeout: 20_000 });
      assert.is(result.status, 0, `${relative(dir, config)}: ${result.stdout}${result.stderr}`);
      assert.match(result.stdout, /SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}


test.run();
