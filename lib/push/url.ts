// The Pushgateway's URL rules for a group: /metrics/job/<job>{/<label>/<value>}. A value with a `/`, or an
// empty one, goes in the `@base64` form (RFC 4648 URL-safe alphabet; a lone `=` for the empty string); any other
// value is URI-component encoded. Runs once per push; validation errors name the value and the rule.
import { validateLabelNames } from '../metrics/validate.js';

export class PushOptionError extends Error {
  override name = 'PushOptionError';
}

/** The group's URL under `base` (which may carry a path prefix, e.g. a --web.route-prefix). */
export function groupUrl(base: string, job: string, groupingKey: Readonly<Record<string, string>> = {}): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new PushOptionError(`invalid Pushgateway URL ${JSON.stringify(base)}: must be absolute, e.g. http://127.0.0.1:9091`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PushOptionError(`invalid Pushgateway URL ${JSON.stringify(base)}: must be http: or https:`);
  }
  if (typeof job !== 'string' || job === '') {
    throw new PushOptionError(`invalid job ${JSON.stringify(job)}: the Pushgateway needs a non-empty job name`);
  }
  const names = Object.keys(groupingKey);
  try {
    validateLabelNames('groupingKey', names);
  } catch (error: unknown) {
    throw new PushOptionError(`invalid grouping key: ${(error as Error).message}`);
  }
  if (names.includes('job')) {
    throw new PushOptionError('invalid grouping key label "job": the job is given by the job option, not the grouping key');
  }
  let path = `metrics/${segment('job', job)}`;
  for (const name of names) {
    const value = groupingKey[name];
    if (typeof value !== 'string') {
      throw new PushOptionError(`invalid grouping key value for ${JSON.stringify(name)}: ${String(value)} is not a string`);
    }
    path += `/${segment(name, value)}`;
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path}`;
  url.search = '';
  url.hash = '';
  return url;
}

function segment(name: string, value: string): string {
  if (value === '') return `${name}@base64/=`;
  if (value.includes('/')) return `${name}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `${name}/${encodeURIComponent(value)}`;
}
