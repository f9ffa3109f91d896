// Koa: let metricsHandler answer on ctx.req and ctx.res. `npm install && node server.mjs`
import Koa from 'koa';
import { Registry, collectDefaultMetrics, metricsHandler } from 'omen';

const registry = new Registry();
collectDefaultMetrics(registry);
const serveMetrics = metricsHandler(registry);

const app = new Koa();
app.use(async (ctx, next) => {
  if (ctx.path !== '/metrics') return next();
  ctx.respond = false; // Koa leaves the response to the handler
  await serveMetrics(ctx.req, ctx.res);
});
app.use((ctx) => (ctx.body = 'hello\n'));
app.listen(3000);
