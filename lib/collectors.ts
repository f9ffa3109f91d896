// Scrape-time collectors: callbacks that return families at every scrape. Overlapping scrapes share a
// collector's run in flight; each run is bounded by a timeout; what a collector returns is checked against the
// strict parser's rules on the model before it is written. Always: a failing collector costs its own families
// and one count in omen_collector_errors_total, never the scrape.
import type { FamilyModel } from './exposition/model.js';
import type { ErrorSink } from './metrics/errors.js';
import type { NameValidation } from './metrics/validate.js';
import { METRIC_TYPES } from './exposition/model.js';
import { escapeName } from './exposition/names.js';
import { ParseError } from './exposition/parse/parser.js';
import { checkFamilyModel } from './exposition/parse/model-check.js';
import { MetricError, quote } from './metrics/errors.js';
import { validateLabelNames, validateMetricName } from './metrics/validate.js';

export type CollectorResult = readonly FamilyModel[] | void;
/** Runs at every scrape: update families, or return extra families to write (sync or async). */
export type Collector = () => CollectorResult | Promise<CollectorResult>;

export interface CollectorSetOptions {
  timeoutMs: number;
  nameValidation: NameValidation;
  /** Where failures go; without one, a warning once per collector. */
  onError: ErrorSink | undefined;
}

export class CollectorSet {
  readonly #collectors: CollectorState[] = [];
  readonly #timeoutMs: number;
  readonly #nameValidation: NameValidation;
  readonly #onError: ErrorSink | undefined;

  constructor(options: CollectorSetOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#nameValidation = options.nameValidation;
    this.#onError = options.onError;
  }

  add(name: string, run: Collector): void {
    this.#collectors.push({ name, run, failures: 0, inFlight: undefined, warned: false });
  }

  /** Failures per collector that has failed at least once, for the registry's own metrics. */
  failures(): Array<{ name: string; failures: number }> {
    return this.#collectors.filter((collector) => collector.failures > 0);
  }

  /**
   * Runs every collector at once, each bounded by the timeout; keeps the good results in order. `taken` says
   * whether a family name already belongs to the registry.
   */
  async run(taken: (name: string) => boolean): Promise<FamilyModel[]> {
    if (this.#collectors.length === 0) return [];
    const results = await Promise.allSettled(this.#collectors.map((collector) => this.#runOne(collector)));
    const extra: FamilyModel[] = [];
    results.forEach((result, i) => {
      const collector = this.#collectors[i]!;
      try {
        if (result.status === 'rejected') throw result.reason;
        for (const family of result.value ?? []) {
          checkCollected(collector.name, family, this.#nameValidation);
          const clash = taken(family.name) || extra.some((other) => other.name === family.name);
          if (clash) throw new MetricError('name-clash', `collector ${quote(collector.name)} returned family ${quote(family.name)}, which already exists`);
          extra.push(family);
        }
      } catch (error: unknown) {
        collector.failures++;
        const message = error instanceof Error ? error.message : String(error);
        const report = error instanceof MetricError ? error : new MetricError('invalid-value', `collector ${quote(collector.name)} failed: ${message}`);
        if (this.#onError !== undefined) this.#onError(report);
        else if (!collector.warned) {
          collector.warned = true; // one warning per collector; the counter keeps counting
          process.emitWarning(report.message, { type: 'MetricWarning', code: 'OMEN_COLLECTOR_FAILED' });
        }
      }
    });
    return extra;
  }

  async #runOne(collector: CollectorState): Promise<CollectorResult> {
    // Overlapping scrapes share the collector's run in flight: each gets its families, and a slow or stuck
    // collector is never started twice, so its calls cannot pile up.
    if (collector.inFlight === undefined) {
      const run = Promise.resolve().then(collector.run);
      collector.inFlight = run;
      const done = (): void => {
        if (collector.inFlight === run) collector.inFlight = undefined;
      };
      run.then(done, done);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    try {
      return await Promise.race([collector.inFlight, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

interface CollectorState {
  name: string;
  run: Collector;
  failures: number;
  /** The run overlapping scrapes share; undefined between runs. */
  inFlight: Promise<CollectorResult> | undefined;
  warned: boolean;
}

/** The family with each name as the `underscores` escaping scheme writes it (legacy names are unchanged). */
function underscoreSpelling(family: FamilyModel): FamilyModel {
  return {
    ...family,
    name: escapeName(family.name, 'underscores'),
    samples: family.samples.map((sample) => ({
      ...sample,
      name: escapeName(sample.name, 'underscores'),
      labels: sample.labels.map(([name, value]) => [escapeName(name, 'underscores', true), value] as const),
    })),
  };
}

/**
 * A collector's family must be writable, or one bad collector would make the whole exposition invalid:
 * typed fields, a valid name and type, and then the strict parser's rules applied to the model (model-check.ts).
 */
function checkCollected(collector: string, family: FamilyModel, nameValidation: NameValidation): void {
  const where = `collector ${quote(collector)} returned family ${quote(family.name)}`;
  validateMetricName(family.name, nameValidation);
  if (!METRIC_TYPES.includes(family.type)) throw new MetricError('invalid-value', `${where} with unknown type ${quote(family.type)}`);
  for (const sample of family.samples) {
    if (typeof sample.name !== 'string' || !sample.name.startsWith(family.name)) {
      throw new MetricError('invalid-name', `${where} with a sample named ${quote(sample.name)}: samples must start with the family name`);
    }
    validateMetricName(sample.name, nameValidation);
    validateLabelNames(family.name, sample.labels.map(([name]) => name), [], nameValidation);
    if (typeof sample.value !== 'number' || sample.labels.some(([, value]) => typeof value !== 'string')) {
      throw new MetricError('invalid-value', `${where} with sample ${quote(sample.name)}: values must be numbers and label values strings`);
    }
  }
  try {
    // The parser's rules on the model itself, with no write-and-parse round trip. Names were judged above by
    // the registry's rules; UTF-8 ones are checked as the underscores a legacy scrape writes them with.
    checkFamilyModel(nameValidation === 'legacy' ? family : underscoreSpelling(family));
  } catch (error: unknown) {
    if (!(error instanceof ParseError)) throw error;
    throw new MetricError('invalid-value', `${where} that is not valid OpenMetrics: ${error.detail}`);
  }
}