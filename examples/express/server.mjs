// Express: metricsHandler is middleware. `npm install && node server.mjs`, then curl localhost:3000/metrics
import express from 'express';
import { Registry, collectDefaultMetrics, metricsHandler } from 'omen';

const registry = new Registry();
collectDefaultMetrics(registry);
const requests = registry.counter({ name: 'http_requests_total', help: 'Requests served.', labelNames: ['route', 'code'] });

const app = express();
app.get('/metrics', metricsHandler(registry));
app.get('/', (req, res) => {
  res.send('hello\n');
  requests.labels('/', '200').inc();
});
app.listen(3000);
