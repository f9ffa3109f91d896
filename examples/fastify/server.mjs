// Fastify: hand the raw request and reply to metricsHandler. `npm install && node server.mjs`
import Fastify from 'fastify';
import { Registry, collectDefaultMetrics, metricsHandler } from 'omen';

const registry = new Registry();
collectDefaultMetrics(registry);
const serveMetrics = metricsHandler(registry);

const app = Fastify();
app.get('/metrics', async (request, reply) => {
  reply.hijack(); // the handler writes the raw response itself
  await serveMetrics(request.raw, reply.raw);
});
app.get('/', async () => 'hello\n');
await app.listen({ port: 3000 });
