// What a request's handling learned that its access-log line reports: who authenticated (or why nobody did)
// and which format was served. Filled by the router and the metrics route; read once when the answer closes.
// Cost: one WeakMap entry per request, only while an access log is on (see MetricsServer).
import type { IncomingMessage } from 'node:http';

/** Why a request carried no usable credentials; never the key itself. */
export type AuthFailure = 'missing' | 'malformed' | 'unknown' | 'unavailable';

export interface RequestAudit {
  /** The service account id that authenticated the request. */
  account?: string;
  authFailure?: AuthFailure;
  /** The exposition format negotiated for a metrics answer. */
  format?: string;
}

const audits = new WeakMap<IncomingMessage, RequestAudit>();

/** Starts recording for `req`; without this call, noteAudit() is a no-op, so no log means no cost. */
export function beginAudit(req: IncomingMessage): RequestAudit {
  const audit: RequestAudit = {};
  audits.set(req, audit);
  return audit;
}

export function noteAudit(req: IncomingMessage, facts: RequestAudit): void {
  const audit = audits.get(req);
  if (audit !== undefined) Object.assign(audit, facts);
}
