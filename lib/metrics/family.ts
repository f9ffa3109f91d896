// The part every metric type shares: fixed label names, children looked up by label values, the
// cardinality guard, pre-rendered series bytes, and the per-family scrape cache. `labels(...)` on a
// known child costs one Map lookup or string compare per label (a lone child at the last label: a byte compare);
// ~15 ns, the rest-argument array its only allocation, so keep the child. Records on a bound child allocate
// nothing and never throw.
import type { Clock } from '../clock.js';
import type { ByteWriter } from '../exposition/byte-writer.js';
import type { ExpositionFormat, FormatId } from '../exposition/formats.js';
import type { ExemplarModel, LabelPair, MetricType } from '../exposition/model.js';
import type { LabelNames, LabelObject, LabelValues } from './label-types.js';
import type { ErrorSink } from './errors.js';
import { systemClock } from '../clock.js';
import { viewOf } from '../exposition/byte-writer.js';
import { renderLabelPairs, renderLabelSet } from '../exposition/labels.js';
import { writeExemplar } from '../exposition/model-writer.js';
import { ByteArena } from './arena.js';
import { SeriesCache } from './series-cache.js';
import { deletePath, insert, leafEntries, leafStep, step, type Trie } from './label-trie.js';
import { LabelSetWriter } from './label-writer.js';
import { MetricError, quote } from './errors.js';
import type { NameValidation } from './validate.js';
import { validateHelp, validateLabelNames, validateMetricName, validateOptionalBoolean, validatePositiveInteger, validateUnit } from './validate.js';

export const DEFAULT_MAX_CHILDREN = 10_000;

export type LabelValue = string | number;

export interface FamilyOptions<L extends LabelNames = LabelNames> {
  name: string;
  help: string;
  /** Must be the name's suffix (`_seconds`); written as `# UNIT` in OpenMetrics. */
  unit?: string;
  /** `['route', 'code'] as const` makes `labels(...)` checked by the compiler; a `string[]` works untyped. */
  labelNames?: L;
  /** Children past this many are not created: records go to a shared no-op child. Default 10,000. */
  maxChildren?: number;
  clock?: Clock;
  /** Stamp every sample with the scrape's wall-clock time, as the Metrics API's computed gauges are. */
  timestamps?: boolean;
  /** Which names are allowed; a registry passes its own (RegistryOptions.nameValidation). Default 'legacy'. */
  nameValidation?: NameValidation;
  /**
   * Whether OpenMetrics output carries `_created` samples (counters, histograms, summaries). Default: the
   * registry's `created` option, which defaults to true. Off, the exposition is about the size of 0.0.4's.
   */
  created?: boolean;
}

/** What a scrape hands each family: the format and the pre-formatted ` <timestamp>` bytes. */
export interface ScrapeContext {
  format: ExpositionFormat;
  /** ` 1692222226141` (leading space included), or empty when samples carry no timestamp. */
  stamp: Uint8Array;
}

/**
 * A bound series. Subclasses add the record methods; the fields below belong to the family (it is an
 * ArenaSpan structurally; not declared, since the fields are stripped from the shipped types).
 */
export class Child {
  /** @internal Where this child's rendered label set `{a="x",b="y"}` sits in the family's arena. */
  at = 0;
  /** @internal */
  end = 0;
}

/** A child whose lines are more than one value: its records bump `version`, which the scrape cache compares. */
export class VersionedChild extends Child {
  /** @internal Bumped by every record, so a scrape re-renders only the series that changed. */
  version = 0;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const COMMA = 0x2c;
/** @internal The stamp of a sample written without a timestamp. */
export const NO_STAMP = new Uint8Array(0);

export abstract class Family<C extends Child, L extends LabelNames = LabelNames> {
  abstract readonly type: MetricType;
  readonly name: string;
  readonly help: string;
  readonly unit: string | undefined;
  readonly labelNames: L;
  readonly maxChildren: number;
  readonly timestamps: boolean;
  /** Children refused by the cardinality guard since creation. */
  droppedSeries = 0;
  /** Records refused (bad label values or counts, negative increments, ...) since creation. */
  rejectedRecords = 0;
  /** Where hot-path errors go; a registry installs its own when the family is registered. */
  onError: ErrorSink;
  /** @internal Set by any record; cleared when a scrape renders the family. One store per record. */
  dirty = true;

  protected readonly clock: Clock;
  protected readonly arena = new ByteArena();
  protected readonly children: C[] = [];
  #trie: Map<string, Trie<C> | C> = new Map();
  /** Renders new children's label sets; made on the first one, after any default labels are known. */
  #labelWriter: LabelSetWriter | undefined;
  /** The registry's default labels, rendered before the family's own on every series. */
  #constPairs: readonly LabelPair[] = [];
  #reserved: readonly string[];
  #overflow: C | undefined;
  #unlabelled: C | undefined;
  #primaryName: Buffer;
  #primaryView: DataView;
  #headers: Partial<Record<FormatId, Buffer>> = {};
  #generation = 0;
  /** Bumped when children are removed, which shifts the cached series. */
  #layout = 0;
  #caches: Partial<Record<FormatId, SeriesCache>> = {};
  readonly #createdOption: boolean | undefined;
  #createdDefault = true;

  /**
   * @param primarySuffix the suffix of the family's main sample (`_total` for a counter), whose name is
   *   rendered once; every line is that or another sample name, then the child's label bytes.
   * @param reservedLabels label names the type uses itself (`le`, `quantile`).
   */
  protected constructor(options: FamilyOptions<L>, name: string, primarySuffix: string, reservedLabels: readonly string[] = []) {
    this.name = validateMetricName(name, options.nameValidation);
    this.help = validateHelp(name, options.help);
    this.unit = validateUnit(name, options.unit);
    this.labelNames = validateLabelNames(name, options.labelNames ?? [], reservedLabels, options.nameValidation) as readonly string[] as L;
    this.#reserved = reservedLabels;
    this.maxChildren = validatePositiveInteger(name, 'maxChildren', options.maxChildren ?? DEFAULT_MAX_CHILDREN);
    this.timestamps = options.timestamps ?? false;
    this.#createdOption = validateOptionalBoolean(name, 'created', options.created);
    this.clock = options.clock ?? systemClock;
    this.onError = warnOncePerCode();
    this.#primaryName = Buffer.from(name + primarySuffix);
    this.#primaryView = viewOf(this.#primaryName);
  }

  /** Subclasses call this last in their constructor, once their own fields exist. */
  protected init(): void {
    if (this.labelNames.length === 0) this.#unlabelled = this.#createUnlabelled();
  }

  /**
   * The child for these label values, created on first use. Positional values follow `labelNames`;
   * an object names them. Keep the result: recording on it is the allocation-free hot path.
   * Wrong counts or values report an error to `onError` and return a no-op child; nothing throws.
   */
  labels(...values: LabelValues<L>): C;
  labels(values: LabelObject<L>): C;
  labels(...args: unknown[]): C {
    const first = args[0];
    if (args.length === 1 && typeof first === 'object' && first !== null) return this.#byObject(first as Record<string, unknown>);
    const count = this.labelNames.length;
    if (args.length !== count) return this.#refuse(this.#countError(args.length));
    if (count === 0) return this.#unlabelled!;
    const last = count - 1;
    let node: Trie<C> | C | undefined = this.#trie;
    for (let i = 0; i < last && node !== undefined; i++) {
      const value = args[i];
      node = step(node as Trie<C>, typeof value === 'string' ? value : (labelKey(value) as string));
    }
    if (node !== undefined) {
      const value = args[last];
      const child = leafStep<C>(node, typeof value === 'string' ? value : (labelKey(value) as string), this.#labelWriter!);
      if (child !== undefined) return child;
    }
    return this.#add(args);
  }

  /** Forgets the child for these label values; a kept handle keeps working but is no longer scraped. */
  remove(...values: LabelValues<L>): boolean;
  remove(values: LabelObject<L>): boolean;
  remove(...args: unknown[]): boolean {
    const first = args[0];
    const values = args.length === 1 && typeof first === 'object' && first !== null ? this.labelNames.map((name) => (first as Record<string, unknown>)[name]) : args;
    if (values.length !== this.labelNames.length || values.length === 0) return false;
    const keys: string[] = [];
    for (const value of values) {
      const key = labelKey(value);
      if (key === undefined) return false;
      keys.push(key);
    }
    const child = deletePath<C>(this.#trie, keys, this.#writer());
    if (child === undefined) return false;
    this.releaseChild(child);
    this.children.splice(this.children.indexOf(child), 1);
    this.arena.release(child, this.children);
    this.#layout++;
    this.dirty = true;
    return true;
  }

  /** Labelled: forgets every child. Unlabelled: sets the one series back to its initial state. */
  reset(): void {
    if (this.#unlabelled !== undefined) {
      this.resetChild(this.#unlabelled);
      if (this.#unlabelled instanceof VersionedChild) this.#unlabelled.version++;
    } else {
      for (const child of this.children) this.releaseChild(child);
      this.children.length = 0;
      this.#trie = new Map();
      this.arena.clear();
      this.#layout++;
    }
    this.dirty = true;
  }

  /**
   * @internal The registry's default labels go first on every series. Called by Registry.register(),
   * before any labelled child exists; a name the family uses itself is refused.
   */
  applyDefaultLabels(labels: Readonly<Record<string, string>>): void {
    const names = Object.keys(labels);
    if (names.length === 0) return;
    if (this.children.length > (this.#unlabelled === undefined ? 0 : 1)) {
      throw new MetricError('invalid-option', `${this.name}: register the family before creating labelled series, so the registry's default labels are on every series`, this.name);
    }
    validateLabelNames(this.name, [...names, ...this.labelNames], this.#reserved);
    this.#constPairs = names.map((name) => [name, String(labels[name])] as const);
    this.#labelWriter = undefined;
    if (this.#unlabelled !== undefined) {
      this.arena.clear();
      this.arena.append(renderLabelSet(renderLabelPairs(this.#constPairs)), this.#unlabelled);
      this.#layout++;
      this.dirty = true;
    }
  }

  /** Number of live series (children). */
  get size(): number {
    return this.children.length;
  }

  /**
   * @internal Every scraped child with its label values (as strings), for exporting state (cluster
   * aggregation). O(children); allocates the lists, so it belongs at scrape time, not on a hot path.
   */
  seriesEntries(): Array<readonly [values: readonly string[], child: C]> {
    if (this.#unlabelled !== undefined) return [[[], this.#unlabelled]];
    return leafEntries<C>(this.#trie, this.labelNames.length, this.#writer());
  }

  /** Sample names this family writes, for the registry's clash check ([S "Suffixes"]). */
  abstract sampleNames(): string[];

  /**
   * @internal Writes the family: its header, then every child. Cost: nothing changed, one copy of the
   * cached block; otherwise copies of unchanged runs plus the changed children's lines.
   */
  writeTo(writer: ByteWriter, context: ScrapeContext): void {
    const { format } = context;
    writer.bytes((this.#headers[format.id] ??= Buffer.from(format.header(this), 'utf8')));
    this.scrapeGeneration();
    if (this.timestamps || this.computedAtScrape) {
      const stamp = this.timestamps ? context.stamp : NO_STAMP;
      for (let i = 0; i < this.children.length; i++) this.writeChild(writer, this.children[i]!, format, stamp);
      this.writeFooter(writer, format, stamp);
      return;
    }
    const cache = (this.#caches[format.id] ??= new SeriesCache());
    const count = this.children.length;
    if (cache.copyIfUnchanged(writer, this.#generation, this.#layout, count)) return;
    const keys = cache.keysFor(count);
    this.scrapeKeys(keys);
    cache.write(
      writer,
      count,
      keys,
      this.#generation,
      this.#layout,
      (from, to, offsets, base) => this.renderRange(writer, format, from, to, offsets, base),
      () => this.writeFooter(writer, format, NO_STAMP),
    );
  }

  /**
   * Writes children [from, to), setting offsets[i] to writer.length - base before child i. V8 keeps type feedback
   * per function, and this one serves every metric type, so its writeChild() call is megamorphic; Counter and Gauge,
   * whose scrapes re-render the most series, override it with the same loop to get a call it can inline.
   */
  protected renderRange(writer: ByteWriter, format: ExpositionFormat, from: number, to: number, offsets: Int32Array, base: number): void {
    const children = this.children;
    for (let i = from; i < to; i++) {
      offsets[i] = writer.length - base;
      this.writeChild(writer, children[i]!, format, NO_STAMP);
    }
  }

  /**
   * @internal Writes each child's scrape-cache key at its index: its version, bumped by every record. A family
   * whose lines are one value (Gauge) writes the values instead, and its children keep no version. ~1 ns a child.
   */
  scrapeKeys(keys: Float64Array): void {
    const children = this.children as unknown as readonly VersionedChild[];
    for (let i = 0; i < children.length; i++) keys[i] = children[i]!.version;
  }

  /** Whether this family writes `_created` samples in OpenMetrics: its own option, else its registry's. */
  get writesCreated(): boolean {
    return this.#createdOption ?? this.#createdDefault;
  }

  /** @internal A registry's defaults for options the family left unset; drops bytes rendered under the old ones. */
  adoptDefaults(defaults: { created: boolean }): void {
    this.#createdDefault = defaults.created;
    this.#caches = {};
  }

  /** True for families whose values are computed when read (windows): never served from the cache. */
  protected get computedAtScrape(): boolean {
    return false;
  }

  /** @internal A scrape starts: a record since the last one bumps the generation. Returns the generation. */
  scrapeGeneration(): number {
    if (this.dirty) {
      this.dirty = false;
      this.#generation++;
    }
    return this.#generation;
  }

  /** @internal For the protobuf writer (lib/metrics/proto-family.ts): what the text path reads internally. */
  scrapeState(): { children: readonly C[]; layout: number; cacheable: boolean } {
    return { children: this.children, layout: this.#layout, cacheable: !this.timestamps && !this.computedAtScrape };
  }

  /** @internal A child's rendered label set, `{a="x"}` (or empty), as the text formats write it. */
  labelText(child: C): string {
    return this.arena.bytes.toString('utf8', child.at, child.end);
  }

  protected abstract createChild(): C;
  protected abstract resetChild(child: C): void;
  protected abstract writeChild(writer: ByteWriter, child: C, format: ExpositionFormat, stamp: Uint8Array): void;

  /** A child left the family (remove() or a labelled reset()): free what it holds outside itself. */
  protected releaseChild(_child: C): void {}

  /** After all children: Prometheus text's gauge histogram writes its totals as extra families here. */
  protected writeFooter(_writer: ByteWriter, _format: ExpositionFormat, _stamp: Uint8Array): void {}

  /** The unlabelled child; on a labelled family, reports the misuse and returns the no-op child. */
  protected get single(): C {
    return this.#unlabelled ?? this.#refuse(this.#countError(0));
  }

  /** @internal Reports a record refused for its value (`cannot <operation> <value>: <rule>`). */
  refuseRecord(operation: string, value: unknown, rule: string): void {
    this.reject(new MetricError(typeof value === 'number' && !Number.isFinite(value) ? 'non-finite-value' : 'invalid-value', `${this.name}: cannot ${operation} ${quote(value)}: ${rule}`, this.name));
  }

  /** Reports a refused record; the caller drops the value. */
  protected reject(error: MetricError): void {
    this.rejectedRecords++;
    this.onError(error);
  }

  /**
   * `<primary name>{labels} <value><stamp>[ # exemplar]\n` with the value in VALUE_INPUT[0] (shortest.ts says why
   * a slot and not an argument): two four-bytes-at-a-time copies (~25 ns each) plus the number.
   */
  protected writePrimary(writer: ByteWriter, child: C, stamp: Uint8Array, exemplar?: ExemplarModel, format?: ExpositionFormat): void {
    writer.span(this.#primaryName, this.#primaryView, 0, this.#primaryName.length);
    writer.span(this.arena.bytes, this.arena.view, child.at, child.end);
    writer.byte(SPACE);
    writer.valueInput();
    if (stamp.length !== 0) writer.bytes(stamp);
    if (exemplar !== undefined && format !== undefined) writeExemplar(writer, exemplar, format);
    writer.byte(NEWLINE);
  }

  /** `<sampleName>{labels[,extra]} <value><stamp>\n` for samples other than the primary one; the value in VALUE_INPUT[0]. */
  protected writeSample(
    writer: ByteWriter,
    sampleName: Uint8Array,
    child: C,
    extra: Uint8Array | undefined,
    stamp: Uint8Array,
    exemplar?: ExemplarModel,
    format?: ExpositionFormat,
  ): void {
    writer.bytes(sampleName);
    const labelled = child.end > child.at; // own or default labels
    if (labelled || extra !== undefined) {
      writer.byte(OPEN);
      // The child's label set without its braces, so extra labels (`le`, `quantile`) can follow.
      if (labelled) writer.span(this.arena.bytes, this.arena.view, child.at + 1, child.end - 1);
      if (extra !== undefined) {
        if (labelled) writer.byte(COMMA);
        writer.bytes(extra);
      }
      writer.byte(CLOSE);
    }
    writer.byte(SPACE);
    writer.valueInput();
    if (stamp.length !== 0) writer.bytes(stamp);
    if (exemplar !== undefined && format !== undefined) writeExemplar(writer, exemplar, format);
    writer.byte(NEWLINE);
  }

  /** @internal Reports an exemplar refused for its labels; the record it came with is kept. */
  refuseExemplar(rule: string): void {
    this.reject(new MetricError('invalid-exemplar', `${this.name}: exemplar dropped: ${rule}`, this.name));
  }

  /** @internal Wall-clock seconds, for an exemplar's timestamp. */
  exemplarTime(): number {
    return this.clock.wallMs() / 1000;
  }

  /** A new child (labels() missed): ~0.4 µs; allocates the child, its trie entry and, now and then, arena growth. */
  #add(args: unknown[]): C {
    // args is labels()' own rest array: it takes the keys in place rather than a second array.
    for (let i = 0; i < args.length; i++) {
      const key = labelKey(args[i]);
      if (key === undefined) {
        return this.#refuse(
          new MetricError(
            'invalid-label-value',
            `${this.name}: label ${this.labelNames[i]} has value ${quote(args[i])}: label values must be finite numbers or well-formed strings (no lone UTF-16 surrogates)`,
            this.name,
          ),
        );
      }
      args[i] = key;
    }
    const keys = args as string[];
    if (this.children.length >= this.maxChildren) {
      this.droppedSeries++;
      return this.#overflowChild();
    }
    const child = this.createChild();
    const writer = this.#writer();
    // labels() has just missed these keys, so insert() finds no child; were one there, it would be kept.
    const found = insert<C>(this.#trie, keys, child, writer);
    if (found !== child) return found;
    writer.write(keys, child);
    this.children.push(child);
    this.dirty = true;
    return child;
  }

  #writer(): LabelSetWriter {
    return (this.#labelWriter ??= new LabelSetWriter(this.#constPairs, this.labelNames, this.arena));
  }

  /** The unlabelled child, whose label set is the default labels or nothing. */
  #createUnlabelled(): C {
    const child = this.createChild();
    this.arena.append(renderLabelSet(renderLabelPairs(this.#constPairs)), child);
    this.children.push(child);
    this.dirty = true;
    return child;
  }

  #byObject(values: Record<string, unknown>): C {
    const names = this.labelNames;
    const given = Object.keys(values);
    const unknown = given.find((name) => !names.includes(name));
    if (unknown !== undefined || given.length !== names.length) {
      const problem = unknown !== undefined ? `unknown label ${quote(unknown)}` : `got labels ${quote(given.join(','))}`;
      return this.#refuse(
        new MetricError('label-count', `${this.name}: ${problem}; expected exactly [${names.join(', ')}]`, this.name),
      );
    }
    return (this.labels as (...values: LabelValue[]) => C)(...names.map((name) => values[name] as LabelValue));
  }

  #countError(got: number): MetricError {
    return new MetricError(
      'label-count',
      `${this.name}: got ${got} label value(s), expected ${this.labelNames.length} for [${this.labelNames.join(', ')}]`,
      this.name,
    );
  }

  #refuse(error: MetricError): C {
    this.reject(error);
    return this.#overflowChild();
  }

  /** A child that belongs to no scrape: records on it land nowhere, at the normal cost. */
  #overflowChild(): C {
    return (this.#overflow ??= this.createChild());
  }
}

// A lone UTF-16 surrogate would be written as U+FFFD, so two different keys could become one series.
const LONE_SURROGATE = /\p{Cs}/u;

/** String#isWellFormed (Node 20+), a builtin several times faster than the regex test. */
const wellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

function labelKey(value: unknown): string | undefined {
  if (typeof value === 'string') return (wellFormed !== undefined ? wellFormed.call(value) : !LONE_SURROGATE.test(value)) ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The default sink: one process warning per family and error code, so a bad loop cannot flood logs. */
function warnOncePerCode(): ErrorSink {
  const seen = new Set<string>();
  return (error) => {
    if (seen.has(error.code)) return;
    seen.add(error.code);
    process.emitWarning(error.message, { type: 'MetricWarning', code: `OMEN_${error.code.toUpperCase().replace(/-/g, '_')}` });
  };
}
