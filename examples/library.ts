// The README's library example: an HTTP service that counts its requests, times them, and serves
// /metrics in whichever format the scraper asks for. Run: node dist/examples/library.js
import { createServer } from 'node:http';
import { Registry, negotiateFormat } from '../lib/index.js';

const registry = new Registry();
const requests = registry.counter({ name: 'http_requests_total', help: 'Requests served.', labelNames: ['route', 'code'] });
const latency = registry.summary({ name: 'http_request_duration_seconds', help: 'Latency.', unit: 'seconds', labelNames: ['route'] });
const helloOk = requests.labels('/hello', '200'); // bind once: recording on it allocates nothing
const helloLatency = latency.labels('/hello');

const server = createServer(async (req, res) => {
  if (req.url === '/metrics') {
    const format = negotiateFormat(req.headers.accept);
    res.writeHead(200, { 'Content-Type': format.contentType }).end(await registry.scrape(format));
    return;
  }
  const start = performance.now();
  res.end('hello\n');
  helloOk.inc();
  helloLatency.observe((performance.now() - start) / 1000);
});
server.listen(Number(process.env.PORT ?? 9464), '127.0.0.1', () => console.log(`http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`));
