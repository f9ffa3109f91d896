// Number rendering for both text formats. Sample values use the shortest round-trip decimal (JS
// `String`), with the spellings the formats require (+Inf, -Inf, NaN, -0); `le` and `quantile` label
// values use the OpenMetrics canonical form (Go's %g shortest, plus ".0" when it looks like an integer).

/** A sample value: shortest round-trip decimal; `+Inf`/`-Inf`/`NaN`; `-0` keeps its sign. */
export function formatValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value !== value) return 'NaN';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  return String(value);
}

/**
 * The canonical rendering OpenMetrics requires for `le` and `quantile` ("Canonical Numbers"): exponent form
 * when the decimal exponent is below -4 or at least 6, a signed exponent of at least two digits, and ".0"
 * appended when neither a point nor an exponent is present (`1.0`, `0.001`, `1e+06`, `1e-05`).
 */
export function formatCanonical(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value !== value) return 'NaN';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  // toExponential() without digits gives the shortest digits that round-trip, e.g. "1.2345e+2".
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const exponent = Number(exponentText);
  const digits = mantissa.replace('.', '');
  if (exponent < -4 || exponent >= 6) {
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const magnitude = Math.abs(exponent);
    return `${sign}${head}e${exponent < 0 ? '-' : '+'}${magnitude < 10 ? '0' : ''}${magnitude}`;
  }
  let plain: string;
  if (exponent < 0) plain = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  else if (digits.length <= exponent + 1) plain = `${digits}${'0'.repeat(exponent + 1 - digits.length)}.0`;
  else plain = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  return sign + plain;
}

/** Unix seconds as OpenMetrics writes them: a plain decimal, never exponent form for realistic epochs. */
export function formatSeconds(seconds: number): string {
  return formatValue(seconds);
}

/** Unix seconds as Prometheus text 0.0.4 writes them: integer milliseconds. */
export function formatMilliseconds(seconds: number): string {
  return String(Math.round(seconds * 1000));
}
