// The peer omen is measured against: prom-client, resolved from this folder's own node_modules so it never
// enters omen's dependency tree. Plain JavaScript on purpose: omen's tsc build must pass without it installed.
import { createRequire } from 'node:module';
import client from 'prom-client';

const require = createRequire(import.meta.url);

/** The installed version, checked by the harness against the pinned one. */
export const version = require('prom-client/package.json').version;

export default client;
