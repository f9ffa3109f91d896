// Accept-Encoding: may the answer be gzipped? Pure; one split per request.
// Rules (RFC 9110 §12.5.3): codings are case-insensitive; q=0 refuses one; an explicit `gzip` (or its
// alias `x-gzip`) entry wins over `*`; no header means identity only, so a scraper gets gzip only on request.

export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let gzip: number | undefined;
  let star: number | undefined;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.split(';');
    const name = coding.trim().toLowerCase();
    if (name !== 'gzip' && name !== 'x-gzip' && name !== '*') continue;
    let q = 1;
    for (const param of params) {
      const [key = '', value = ''] = param.split('=');
      if (key.trim().toLowerCase() === 'q') q = qvalue(value.trim());
    }
    if (name === '*') star = q;
    else gzip = Math.max(gzip ?? 0, q);
  }
  return (gzip ?? star ?? 0) > 0;
}

/** RFC 9110 qvalue: 0 to 1 with at most three decimals; anything else counts as 0 (refused). */
function qvalue(text: string): number {
  return /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(text) ? Number(text) : 0;
}
