// A Metrics API catalog: versioned data (names, types, units, labels, stages) and the loader that
// validates it, so a later catalog can add metrics or move stages without code changes. Runs once at
// startup. Always: a loaded catalog has unique, valid names and labels, and each kind matches its type.
import { readFileSync } from 'node:fs';

export type ReleaseStage = 'GA' | 'Preview' | 'Deprecated';
export type MetricKind = 'rate' | 'ratio' | 'max' | 'min' | 'average' | 'age' | 'utilization' | 'summary';

export interface MetricDefinition {
  readonly name: string;
  readonly type: 'gauge' | 'summary';
  readonly kind: MetricKind;
  /** Human unit, e.g. `requests per second`; goes into HELP, never into `# UNIT` (see helpText). */
  readonly unit: string;
  readonly description: string;
  readonly labels: readonly string[];
  readonly stage: ReleaseStage;
  /** `YYYY-MM-DD`; required for Deprecated metrics, refused otherwise. */
  readonly endOfSupport?: string;
}

export interface Catalog {
  readonly version: string;
  /** Window of every rate, ratio, max, min, average, utilization and summary. */
  readonly windowSeconds: number;
  readonly slotSeconds: number;
  readonly metrics: readonly MetricDefinition[];
  get(name: string): MetricDefinition | undefined;
}

export class CatalogError extends Error {
  override name = 'CatalogError';
}

const KINDS: readonly MetricKind[] = ['rate', 'ratio', 'max', 'min', 'average', 'age', 'utilization', 'summary'];
const STAGES: readonly ReleaseStage[] = ['GA', 'Preview', 'Deprecated'];
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const UNIT_TEXT = /^[a-z][a-z ]*[a-z]$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// Sample-name suffixes a scraper reads as part of a type; a gauge or summary family must not end in one.
const RESERVED_SUFFIXES = ['_total', '_created', '_count', '_sum', '_bucket', '_gcount', '_gsum', '_info'];

/** The HELP text: description, unit and release stage, e.g. `… (requests per second). Release stage: GA.` */
export function helpText(metric: MetricDefinition): string {
  const stage = metric.stage === 'Deprecated' ? `Deprecated, end of support ${metric.endOfSupport}` : metric.stage;
  return `${metric.description} (${metric.unit}). Release stage: ${stage}.`;
}

/** Validates catalog data (a parsed JSON value or a TS table) and returns it frozen. */
export function loadCatalog(data: unknown): Catalog {
  const root = object(data, 'catalog');
  const version = text(root.version, 'catalog version');
  const where = `catalog ${version}`;
  const windowSeconds = positiveInteger(root.windowSeconds, `${where}: windowSeconds`);
  const slotSeconds = positiveInteger(root.slotSeconds, `${where}: slotSeconds`);
  if (windowSeconds % slotSeconds !== 0) {
    throw new CatalogError(`${where}: windowSeconds=${windowSeconds} is not a multiple of slotSeconds=${slotSeconds}; choose a slot that divides the window`);
  }
  if (!Array.isArray(root.metrics) || root.metrics.length === 0) {
    throw new CatalogError(`${where}: metrics must be a non-empty array of metric definitions`);
  }
  const metrics = root.metrics.map((entry, index) => definition(entry, `${where}: metrics[${index}]`));
  const byName = new Map<string, MetricDefinition>();
  for (const metric of metrics) {
    if (byName.has(metric.name)) throw new CatalogError(`${where}: metric "${metric.name}" is defined twice; names must be unique`);
    byName.set(metric.name, metric);
  }
  return Object.freeze({ version, windowSeconds, slotSeconds, metrics: Object.freeze(metrics), get: (name: string) => byName.get(name) });
}

/** Reads a catalog from a JSON file with the same shape as CATALOG_0_7. */
export function loadCatalogFile(path: string): Catalog {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error: unknown) {
    throw new CatalogError(`cannot read catalog file ${path}: ${(error as Error).message}; pass a JSON file shaped like lib/catalog/catalog-0.7.ts`);
  }
  return loadCatalog(parsed);
}

function definition(data: unknown, where: string): MetricDefinition {
  const entry = object(data, where);
  const name = text(entry.name, `${where}.name`);
  const at = `${where} (${name})`;
  if (!METRIC_NAME.test(name)) throw new CatalogError(`${at}: invalid metric name: must match [a-zA-Z_:][a-zA-Z0-9_:]*`);
  const suffix = RESERVED_SUFFIXES.find((reserved) => name.endsWith(reserved));
  if (suffix !== undefined) throw new CatalogError(`${at}: name ends in "${suffix}", which scrapers read as a sample suffix; rename it`);
  const kind = oneOf(entry.kind, KINDS, `${at}.kind`);
  const type = oneOf(entry.type, ['gauge', 'summary'] as const, `${at}.type`);
  if ((kind === 'summary') !== (type === 'summary')) {
    throw new CatalogError(`${at}: kind "${kind}" cannot have type "${type}": summaries have kind "summary", every other kind is a gauge`);
  }
  const unit = text(entry.unit, `${at}.unit`);
  if (!UNIT_TEXT.test(unit)) throw new CatalogError(`${at}: unit "${unit}" must be lower-case words, e.g. "requests per second"`);
  if ((kind === 'ratio' || kind === 'utilization') && unit !== 'percent') {
    throw new CatalogError(`${at}: a ${kind} is a percentage, so its unit must be "percent", got "${unit}"`);
  }
  const description = text(entry.description, `${at}.description`);
  if (/[\n\r]/.test(description)) throw new CatalogError(`${at}: description must be one line`);
  const labels = labelNames(entry.labels, at, type);
  const stage = oneOf(entry.stage, STAGES, `${at}.stage`);
  const endOfSupport = entry.endOfSupport;
  if (stage === 'Deprecated') {
    if (typeof endOfSupport !== 'string' || !DATE.test(endOfSupport) || Number.isNaN(Date.parse(endOfSupport))) {
      throw new CatalogError(`${at}: a Deprecated metric needs endOfSupport as YYYY-MM-DD, got ${JSON.stringify(endOfSupport)}`);
    }
    return Object.freeze({ name, type, kind, unit, description, labels, stage, endOfSupport });
  }
  if (endOfSupport !== undefined) throw new CatalogError(`${at}: endOfSupport is only for Deprecated metrics; remove it or set stage "Deprecated"`);
  return Object.freeze({ name, type, kind, unit, description, labels, stage });
}

function labelNames(data: unknown, at: string, type: string): readonly string[] {
  if (!Array.isArray(data)) throw new CatalogError(`${at}.labels must be an array of label names (may be empty)`);
  const seen = new Set<string>();
  for (const label of data) {
    if (typeof label !== 'string' || !LABEL_NAME.test(label) || label.startsWith('__')) {
      throw new CatalogError(`${at}: invalid label name ${JSON.stringify(label)}: must match [a-zA-Z_][a-zA-Z0-9_]* without a "__" prefix`);
    }
    if (type === 'summary' && label === 'quantile') throw new CatalogError(`${at}: a summary cannot have a "quantile" label; it writes its own`);
    if (seen.has(label)) throw new CatalogError(`${at}: label "${label}" appears twice`);
    seen.add(label);
  }
  return Object.freeze([...seen]);
}

function object(data: unknown, where: string): Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new CatalogError(`${where} must be an object`);
  return data as Record<string, unknown>;
}

function text(data: unknown, where: string): string {
  if (typeof data !== 'string' || data.trim() === '') throw new CatalogError(`${where} must be a non-empty string, got ${JSON.stringify(data)}`);
  return data;
}

function positiveInteger(data: unknown, where: string): number {
  if (typeof data !== 'number' || !Number.isSafeInteger(data) || data <= 0) {
    throw new CatalogError(`${where} must be a positive whole number of seconds, got ${JSON.stringify(data)}`);
  }
  return data;
}

function oneOf<T extends string>(data: unknown, allowed: readonly T[], where: string): T {
  if (typeof data !== 'string' || !allowed.includes(data as T)) {
    throw new CatalogError(`${where} must be one of ${allowed.join(', ')}, got ${JSON.stringify(data)}`);
  }
  return data as T;
}
