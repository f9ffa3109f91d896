// Definition-time validation of names, units and help, with errors that name the value, the rule and
// the fix. Runs once per family; nothing here is on a recording path.
import { MetricError, quote } from './errors.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Any non-empty string of whole code points: a lone surrogate could not be written as UTF-8. */
const UTF8_NAME = /^(?!.*\p{Cs}).+$/su;

/** `'legacy'`: the classic name grammar; `'utf-8'`: any non-empty UTF-8 name (Registry option nameValidation). */
export type NameValidation = 'legacy' | 'utf-8';
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const UNIT = /^[a-zA-Z0-9_:]*$/;

export function validateMetricName(name: unknown, mode: NameValidation = 'legacy'): string {
  if (mode === 'utf-8') {
    if (typeof name !== 'string' || !UTF8_NAME.test(name)) {
      throw new MetricError('invalid-name', `invalid metric name ${quote(name)}: must be a non-empty string of valid UTF-8 (nameValidation 'utf-8')`);
    }
    return name;
  }
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
    throw new MetricError('invalid-name', `invalid metric name ${quote(name)}: must match [a-zA-Z_:][a-zA-Z0-9_:]*`);
  }
  return name;
}

/** Label names: the grammar, no `__` prefix (reserved), no duplicates, and none of the type's own. */
export function validateLabelNames(family: string, names: readonly unknown[], reserved: readonly string[] = [], mode: NameValidation = 'legacy'): string[] {
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string' || (mode === 'utf-8' && !UTF8_NAME.test(name))) {
      throw new MetricError('invalid-label-name', `${family}: invalid label name ${quote(name)}: must be a non-empty string of valid UTF-8`, family);
    }
    if (mode === 'legacy' && !LABEL_NAME.test(name)) {
      throw new MetricError('invalid-label-name', `${family}: invalid label name ${quote(name)}: must match [a-zA-Z_][a-zA-Z0-9_]*`, family);
    }
    if (name.startsWith('__')) {
      throw new MetricError('reserved-label-name', `${family}: label name ${quote(name)} is reserved: names starting with "__" are for internal use`, family);
    }
    if (reserved.includes(name)) {
      throw new MetricError('reserved-label-name', `${family}: label name ${quote(name)} is reserved for this metric type; rename the label`, family);
    }
    if (seen.has(name)) {
      throw new MetricError('duplicate-label-name', `${family}: label name ${quote(name)} appears twice; label names must be unique`, family);
    }
    seen.add(name);
  }
  return [...seen];
}

/** OpenMetrics "Unit": a non-empty unit must be the family name's suffix after an underscore. */
export function validateUnit(family: string, unit: unknown): string | undefined {
  if (unit === undefined || unit === '') return undefined;
  if (typeof unit !== 'string' || !UNIT.test(unit)) {
    throw new MetricError('invalid-unit', `${family}: invalid unit ${quote(unit)}: must match [a-zA-Z0-9_:]*`, family);
  }
  if (!family.endsWith(`_${unit}`)) {
    throw new MetricError(
      'invalid-unit',
      `${family}: unit ${quote(unit)} must be the name's suffix: name the metric "${family}_${unit}" or put the unit in the help text`,
      family,
    );
  }
  return unit;
}

export function validateHelp(family: string, help: unknown): string {
  if (typeof help !== 'string') {
    throw new MetricError('invalid-help', `${family}: help must be a string, got ${quote(help)}`, family);
  }
  return help;
}

export function validatePositiveInteger(family: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new MetricError('invalid-option', `${family}: option ${option} must be a positive integer, got ${quote(value)}`, family);
  }
  return value;
}

export function validateOptionalBoolean(family: string, option: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new MetricError('invalid-option', `${family}: option ${option} is ${quote(value)}: must be true or false (or left out)`, family);
}
