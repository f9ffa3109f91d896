// HTTPS on MetricsServer with throwaway certificates: a renewal seen by new connections with no request
// failing, a broken renewal that keeps the old certificate, and the clients that must be refused (plain HTTP,
// TLS 1.1, no client certificate under mutual TLS, a stalled handshake) while everyone else is still served.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect as connectTcp } from 'node:net';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { Registry } from '../../lib/registry.js';
import { CertificateWatcher, loadTlsMaterial } from '../../lib/server/tls.js';
import { openssl, TestCa } from '../support/certs.js';
import { send, startServer, tempDir, waitFor, type Harness } from './harness.js';

interface Answer {
  status: number;
  body: string;
  serial: string;
}

/** One HTTPS request on a fresh connection, returning the serial of the certificate the server showed. */
function get(port: number, path: string, options: { ca: Buffer; headers?: Record<string, string>; cert?: Buffer; key?: Buffer }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, ca: options.ca, cert: options.cert, key: options.key, headers: options.headers ?? {}, agent: false }, (res) => {
      const serial = ((res.socket as TLSSocket).getPeerCertificate() as PeerCertificate).serialNumber;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), serial }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** What a raw TCP client gets back after sending `bytes`, until the server closes (or 3 s pass). */
function rawExchange(port: number, bytes: string): Promise<{ reply: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connectTcp(port, '127.0.0.1');
    let reply = '';
    const timer = setTimeout(() => (socket.destroy(), resolve({ reply, closed: false })), 3000);
    socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => (clearTimeout(timer), resolve({ reply, closed: true })));
    socket.write(bytes);
  });
}

if (openssl === undefined) {
  console.log('tls: skipped: no "openssl" binary on PATH (apt-get install -y openssl)');
  test.skip('HTTPS specs');
} else {
  let dir: string;
  let ca: TestCa;
  let caPem: Buffer;
  let certFile: string;
  let keyFile: string;
  let h: Harness;

  test.before.each(async () => {
    dir = tempDir('omen-tls-');
    ca = new TestCa(dir);
    caPem = readFileSync(ca.cert);
    const first = ca.server('server-a', 'A001');
    certFile = join(dir, 'tls.crt');
    keyFile = join(dir, 'tls.key');
    copyFileSync(first.cert, certFile);
    copyFileSync(first.key, keyFile);
  });

  test.after.each(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (options: { clientCa?: boolean; headersTimeoutMs?: number } = {}) => {
    const registry = new Registry();
    registry.counter({ name: 'spec_requests', help: 'requests' }).inc();
    const material = loadTlsMaterial({ certFile, keyFile, clientCaFile: options.clientCa === true ? ca.cert : undefined });
    const limits = options.headersTimeoutMs === undefined ? {} : { headersTimeoutMs: options.headersTimeoutMs, connectionsCheckingIntervalMs: 50 };
    h = await startServer({ source: registry, tls: material, limits });
    return h;
  };

  test('serves the metrics and /healthz over HTTPS, and says https in its URL', async () => {
    const { port, apiKey, server } = await start();
    assert.ok(server.address?.url.startsWith('https://127.0.0.1:'), server.address?.url);
    const health = await get(port, '/healthz', { ca: caPem });
    assert.is(health.status, 200);
    const metrics = await get(port, '/api/v1/observability/metrics', { ca: caPem, headers: { Authorization: `Tecton-key ${apiKey}` } });
    assert.is(metrics.status, 200);
    assert.match(metrics.body, /^spec_requests_total 1$/m);
    assert.is((await get(port, '/api/v1/observability/metrics', { ca: caPem })).status, 401, 'TLS does not replace the key');
  });

  test('renewed files are served to new connections with no failed request; a broken renewal keeps the old certificate', async () => {
    const { port, server } = await start();
    const errors: string[] = [];
    let reloads = 0;
    const watcher = new CertificateWatcher(
      { certFile, keyFile },
      { pollMs: 50, onReload: (material) => (server.setSecureContext(material), reloads++), onError: (line) => errors.push(line) },
    );
    try {
      assert.is((await get(port, '/healthz', { ca: caPem })).serial, 'A001');
      // Requests keep going on new connections while the files are replaced.
      let stop = false;
      const outcomes: Array<string> = [];
      const load = (async () => {
        while (!stop) {
          const answer = await get(port, '/healthz', { ca: caPem }).catch((error: Error) => ({ status: 0, body: error.message, serial: '' }));
          outcomes.push(answer.status === 200 ? answer.serial : `failed: ${answer.body}`);
        }
      })();
      const renewed = ca.server('server-b', 'B002');
      writeFileSync(certFile, readFileSync(renewed.cert));
      writeFileSync(keyFile, readFileSync(renewed.key));
      await waitFor('the renewed certificate on new connections', () => outcomes.at(-1) === 'B002', 5000);
      stop = true;
      await load;
      assert.equal(outcomes.filter((outcome) => outcome.startsWith('failed')), [], 'no request failed during the renewal');
      assert.ok(outcomes.includes('A001') && outcomes.includes('B002'));
      assert.ok(reloads >= 1);

      // A renewal whose key belongs to another certificate, then one that is not PEM at all.
      const errorsBefore = errors.length;
      writeFileSync(keyFile, readFileSync(ca.server('server-c', 'C003').key));
      await waitFor('the mismatched key to be refused', () => errors.length > errorsBefore, 5000);
      assert.match(errors.at(-1)!, /still serving the previous certificate/);
      writeFileSync(certFile, 'not a certificate\n');
      await waitFor('the broken certificate to be refused', () => errors.length > errorsBefore + 1, 5000);
      assert.is((await get(port, '/healthz', { ca: caPem })).serial, 'B002', 'the last good certificate stays in service');
    } finally {
      watcher.stop();
    }
  });

  test('plain HTTP, TLS 1.1 and a stalled handshake are refused, and the server keeps answering', async () => {
    const { port } = await start({ headersTimeoutMs: 400 });
    const plain = await send(port, 'GET', '/healthz', {}).then(
      (res) => `HTTP ${res.status}`,
      (error: NodeJS.ErrnoException) => error.code ?? error.message,
    );
    assert.not.equal(plain, 'HTTP 200', 'plain HTTP gets no answer on the TLS port');

    const old = await new Promise<string>((resolve) => {
      const socket = connectTls({ host: '127.0.0.1', port, ca: caPem, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
      socket.once('secureConnect', () => (socket.destroy(), resolve(`connected with ${socket.getProtocol()}`)));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    assert.not.match(old, /^connected/, `a TLS 1.1 client must be refused: ${old}`);

    // Connects and never starts the handshake: dropped after the header timeout, not held open.
    const stalled = await rawExchange(port, '');
    assert.ok(stalled.closed, 'a client that never completes the handshake is disconnected');
    assert.is((await get(port, '/healthz', { ca: caPem })).status, 200, 'still serving');
  });

  test('the handshake counts toward the header timeout: a slow handshake leaves less time for the headers', async () => {
    const { port } = await start({ headersTimeoutMs: 1000 });
    const opened = Date.now();
    const closedAfter = await new Promise<number>((resolve) => {
      const tcp = connectTcp(port, '127.0.0.1');
      const giveUp = setTimeout(() => (tcp.destroy(), resolve(Number.POSITIVE_INFINITY)), 5000);
      tcp.on('error', () => {});
      tcp.once('connect', () =>
        setTimeout(() => {
          const socket = connectTls({ socket: tcp, ca: caPem, servername: 'localhost' });
          socket.on('error', () => {});
          socket.once('secureConnect', () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n')); // headers never finish
          socket.once('close', () => (clearTimeout(giveUp), resolve(Date.now() - opened)));
        }, 700),
      );
    });
    // Node's own header clock starts after the handshake (700 ms + 1000 ms); the connection's starts at accept.
    assert.ok(closedAfter < 1600, `closed ${closedAfter} ms after connecting`);
  });

  test('with a client CA, a client without a certificate is refused and one with a certificate still needs its key', async () => {
    const { port, apiKey } = await start({ clientCa: true });
    const client = ca.client('scraper', 'D004');
    const anonymous = await get(port, '/healthz', { ca: caPem }).then(
      (answer) => `HTTP ${answer.status}`,
      (error: NodeJS.ErrnoException) => error.code ?? error.message,
    );
    assert.not.equal(anonymous, 'HTTP 200', 'no client certificate, no answer');
    const withCert = { ca: caPem, cert: readFileSync(client.cert), key: readFileSync(client.key) };
    assert.is((await get(port, '/healthz', withCert)).status, 200);
    assert.is((await get(port, '/api/v1/observability/metrics', withCert)).status, 401, 'mutual TLS is in addition to the key');
    assert.is((await get(port, '/api/v1/observability/metrics', { ...withCert, headers: { Authorization: `Tecton-key ${apiKey}` } })).status, 200);
  });

  test('files that cannot serve are refused at start, naming the file and the reason', () => {
    assert.throws(() => loadTlsMaterial({ certFile: join(dir, 'missing.crt'), keyFile }), /cannot read --tls-cert ".*missing\.crt": ENOENT/);
    writeFileSync(join(dir, 'other.key'), readFileSync(ca.server('other', 'E005').key));
    assert.throws(() => loadTlsMaterial({ certFile, keyFile: join(dir, 'other.key') }), /cannot use --tls-cert .* with --tls-key .*other\.key/);
  });
}

test.run();
