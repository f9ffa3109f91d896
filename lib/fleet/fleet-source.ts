// The catalog computed by a metrics engine: every catalog query evaluated at one instant, turned into the
// catalog's families (catalog order, catalog HELP) and serialized like an in-process scrape. Per scrape: a
// cache hit costs a Map read; a miss costs one engine round of ~25 concurrent queries. Always: an answer is one
// consistent evaluation or a 503 naming the engine and the failing query, never stale or empty data.
import type { Catalog } from '../catalog/catalog.js';
import type { ExpositionFormat, FormatId } from '../exposition/formats.js';
import type { FamilyModel, LabelPair, SampleModel } from '../exposition/model.js';
import type { ScrapeSource } from '../server/metrics-route.js';
import type { SeriesQuery } from './queries.js';
import type { VectorSample } from './prometheus-client.js';
import { helpText } from '../catalog/catalog.js';
import { writeModel } from '../exposition/model-writer.js';
import { HttpError } from '../server/router.js';
import { catalogQueries } from './queries.js';

/** The engine's side of a FleetSource: a PrometheusClient is one. */
export interface QueryEngine {
  query(expr: string, timeSeconds: number): Promise<VectorSample[]>;
}

export interface FleetSourceOptions {
  engine: QueryEngine;
  /** Names the engine in errors and /healthz, e.g. `prometheus at http://127.0.0.1:9090`. */
  engineName: string;
  catalog: Catalog;
  /** The range of every rate, ratio and quantile. */
  windowMs: number;
  /** How long one evaluation answers later scrapes. 0 evaluates per scrape (concurrent ones still share). */
  cacheTtlMs: number;
  /** Wall-clock ms (tests). Default Date.now. */
  now?: () => number;
}

/** What /healthz reports: whether the engine answered the last evaluation. */
export interface EngineHealth {
  readonly ok: boolean;
  readonly text: string;
}

interface Evaluation {
  readonly atMs: number;
  readonly families: FamilyModel[];
  readonly bytes: Map<FormatId, Buffer>;
}

export class FleetSource implements ScrapeSource {
  readonly queries: readonly SeriesQuery[];
  readonly #options: FleetSourceOptions;
  readonly #now: () => number;
  #cached: Evaluation | undefined;
  #pending: Promise<Evaluation> | undefined;
  #health: EngineHealth = { ok: true, text: 'ok: no evaluation yet' };

  constructor(options: FleetSourceOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.queries = catalogQueries(options.catalog, options.windowMs);
  }

  get health(): EngineHealth {
    return this.#health;
  }

  /** The catalog in `format`, from the cached evaluation when it is younger than cacheTtlMs. */
  async scrape(format: ExpositionFormat): Promise<Buffer> {
    const evaluation = await this.#current();
    let bytes = evaluation.bytes.get(format.id);
    if (bytes === undefined) evaluation.bytes.set(format.id, (bytes = writeModel(evaluation.families, format)));
    return bytes;
  }

  /** Evaluates every query at `atMs` (Unix ms, default now), bypassing the cache. Throws an HttpError 503. */
  async evaluate(atMs: number = this.#now()): Promise<FamilyModel[]> {
    const seconds = Math.floor(atMs) / 1000;
    const results = await Promise.all(
      this.queries.map((query) =>
        this.#options.engine.query(query.expr, seconds).catch((error: unknown) => {
          throw this.#failure(query, error);
        }),
      ),
    );
    this.#health = { ok: true, text: `ok: ${this.#options.engineName} answered the last evaluation (${new Date(atMs).toISOString()})` };
    return toFamilies(this.#options.catalog, this.queries, results, seconds);
  }

  #current(): Promise<Evaluation> {
    const cached = this.#cached;
    if (cached !== undefined && this.#now() - cached.atMs < this.#options.cacheTtlMs) return Promise.resolve(cached);
    this.#pending ??= (async () => {
      const atMs = this.#now();
      try {
        const families = await this.evaluate(atMs);
        return (this.#cached = { atMs, families, bytes: new Map() });
      } catch (error: unknown) {
        this.#cached = undefined; // never serve data older than the failure
        throw error;
      } finally {
        this.#pending = undefined;
      }
    })();
    return this.#pending;
  }

  #failure(query: SeriesQuery, error: unknown): HttpError {
    const why = error instanceof Error ? error.message : String(error);
    const reason = `${this.#options.engineName} failed query for ${query.sample} (${query.expr}): ${why}`.replace(/[\r\n]+/g, ' ');
    this.#health = { ok: false, text: `engine down: ${reason}` };
    const retry = Math.max(1, Math.ceil(this.#options.cacheTtlMs / 1000));
    return new HttpError(503, reason, { 'Retry-After': String(retry) });
  }
}

/** The engine's vectors as the catalog's families: catalog order, catalog HELP, series sorted by labels. */
export function toFamilies(catalog: Catalog, queries: readonly SeriesQuery[], results: readonly VectorSample[][], atSeconds: number): FamilyModel[] {
  const byMetric = new Map<string, SampleModel[]>();
  queries.forEach((query, i) => {
    const { metric } = query;
    let samples = byMetric.get(metric.name);
    if (samples === undefined) byMetric.set(metric.name, (samples = []));
    const rows = results[i]!.map((series) => ({ labels: labelsOf(metric.labels, series.labels, query.extraLabels), value: series.value }));
    rows.sort((a, b) => compareLabels(a.labels, b.labels));
    for (const row of rows) {
      const sample: SampleModel = { name: query.sample, labels: row.labels, value: row.value };
      if (metric.type === 'gauge') sample.timestamp = atSeconds; // as the in-process computed gauges are stamped
      samples.push(sample);
    }
  });
  return catalog.metrics.map((metric) => ({ name: metric.name, type: metric.type, help: helpText(metric), samples: summaryOrder(metric.type, byMetric.get(metric.name) ?? []) }));
}

/** Catalog labels in catalog order (those the engine returned), then the query's own (quantile). */
function labelsOf(names: readonly string[], labels: Readonly<Record<string, string>>, extra: SeriesQuery['extraLabels']): LabelPair[] {
  const pairs: LabelPair[] = [];
  for (const name of names) {
    const value = labels[name];
    if (value !== undefined && value !== '') pairs.push([name, value]);
  }
  for (const pair of extra) pairs.push(pair);
  return pairs;
}

function compareLabels(a: readonly LabelPair[], b: readonly LabelPair[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = a[i]![1] < b[i]![1] ? -1 : a[i]![1] > b[i]![1] ? 1 : 0;
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/** A summary writes each series' quantiles, then its _sum and _count, together (as the text formats want). */
function summaryOrder(type: string, samples: SampleModel[]): SampleModel[] {
  if (type !== 'summary') return samples;
  const key = (sample: SampleModel) => JSON.stringify(sample.labels.filter(([name]) => name !== 'quantile'));
  const groups = new Map<string, SampleModel[]>();
  for (const sample of samples) {
    const k = key(sample);
    let group = groups.get(k);
    if (group === undefined) groups.set(k, (group = []));
    group.push(sample);
  }
  const rank = (sample: SampleModel) => (sample.name.endsWith('_count') ? 2 : sample.name.endsWith('_sum') ? 1 : 0);
  return [...groups.values()].flatMap((group) => group.sort((a, b) => rank(a) - rank(b)));
}
