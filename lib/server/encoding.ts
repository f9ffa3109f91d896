// Accept-Encoding is read by the wire kit's lib/exposition/accept-encoding.ts (the library's metricsHandler
// uses it too); this name stays for code that imports it from the server.
export { acceptsGzip } from '../exposition/accept-encoding.js';
