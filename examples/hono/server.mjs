// Hono (on @hono/node-server): answer with the registry's scrape in the negotiated format; this works on
// any runtime Hono runs on, since it needs no node:http objects. `npm install && node server.mjs`
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Registry, collectDefaultMetrics, negotiateFormat } from 'omen';

const registry = new Registry();
collectDefaultMetrics(registry);

const app = new Hono();
app.get('/metrics', async (c) => {
  const format = negotiateFormat(c.req.header('accept'));
  return c.body(await registry.scrape(format), 200, { 'Content-Type': format.contentType, Vary: 'Accept' });
});
app.get('/', (c) => c.text('hello\n'));
serve({ fetch: app.fetch, port: 3000 });
