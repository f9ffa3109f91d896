// How the platform's routes go on the server: each with its own body limit, and every answer the router gives
// for them (bad key 401, body over the limit 413, unreadable body 400) in Tecton's JSON error shape, as their
// handlers answer. Runs once per route at startup. Always: a platform route never answers an error in plain text.
import type { ErrorRenderer, RouteHandler, RouteOptions } from '../server/router.js';
import { errorBody, sendJson } from './api-error.js';

/** What platform routes are mounted on: the omen server (or its router). */
export interface RouteMounter {
  route(method: string, path: string, handler: RouteHandler, options?: RouteOptions): unknown;
}

/** Renders a router refusal as `{error, message, code}` with the headers the router already set (WWW-Authenticate, Connection). */
export const renderJsonError: ErrorRenderer = (status, reason, res) => sendJson(res, status, errorBody(status, reason));

/**
 * Mounts `handler` at POST `path`, authenticated, reading at most `maxBodyBytes` (the router refuses a larger
 * body before reading it, rather than at the server-wide limit); `onRefused` hears each status the router
 * answered without calling the handler, for the route's own metrics.
 */
export function mountPost(server: RouteMounter, path: string, handler: RouteHandler, maxBodyBytes: number, onRefused?: (status: number) => void): void {
  server.route('POST', path, handler, { maxBodyBytes, renderError: renderJsonError, ...(onRefused === undefined ? {} : { onRefused }) });
}
