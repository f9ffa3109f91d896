// Groups parsed lines into families ([S "MetricFamily"]): metadata before samples and once each, samples
// matched to their family by name and type suffix, families and metrics never interleaved or repeated,
// timestamps consistent per metric. Cost per sample: one suffix match, one label-set key, two Set lookups.
// Invariant: `families` only ever holds families whose every line so far obeyed these rules.
import type { FamilyModel, LabelPair, MetricType, SampleModel } from '../model.js';
import type { LineScan } from './scan.js';
import type { MetadataLine } from './metadata.js';
import type { SampleLine } from './sample.js';
import { PointRules } from './checks.js';
import { MetricKeys } from './metric-key.js';
import { quote } from './error.js';
import { ownedNames, reservedLabel, sampleKind, suffixTable, type SuffixTable } from './kinds.js';

const NO_TIMESTAMPS = 2;
const WITH_TIMESTAMPS = 1;

export class ExpositionBuilder {
  readonly families: FamilyModel[] = [];
  readonly #openMetrics: boolean;
  readonly #rules = new PointRules();
  /**
   * Every name a family owns → family index: in OpenMetrics its name and its sample names ([S "Suffixes"]);
   * in Prometheus 0.0.4 only the name its TYPE line (or first sample) gave it, since 0.0.4 reserves no
   * sample names: client_golang writes gauge `x` next to counter `x_total`, both families named `x` here.
   */
  readonly #names = new Map<string, number>();
  /** Per family index, the name its metadata lines use (a 0.0.4 counter's `x_total`, else the family name). */
  readonly #declaredNames: string[] = [];
  #family: FamilyModel | undefined = undefined;
  #index = -1;
  /** The name on metadata lines: the family name, except a 0.0.4 counter's `x_total`. */
  #declared = '';
  /** Sample names are #base + a suffix of #table. */
  #base = '';
  #table: SuffixTable = suffixTable('unknown', true);
  #reserved: { name: string; kind: number } | undefined = undefined;
  #seenMeta = 0;
  #hasSamples = false;
  #familyLines: number[] = [];
  #metricKeys = new Set<string>();
  #metricKey: string | undefined = undefined;
  readonly #keys = new MetricKeys();
  #lastLabels: LabelPair[] = [];
  #lastSkip = -1;
  /** The previous sample's name and kind; reset whenever the family changes. */
  #lastName = '';
  #lastKind = 0;
  #tsMode = 0;
  #lastTs = -Infinity;

  constructor(openMetrics: boolean) {
    this.#openMetrics = openMetrics;
  }

  metadata(scan: LineScan, meta: MetadataLine): void {
    const bit = meta.kind === 'type' ? 1 : meta.kind === 'help' ? 2 : 4;
    const keyword = `# ${meta.kind.toUpperCase()}`;
    if (this.#family === undefined || meta.name !== this.#declared) {
      this.#open(scan, meta.name, meta.nameAt, false);
    } else {
      // [EXPO]: 0.0.4 requires only TYPE to precede the samples; HELP may come later, once.
      const late = this.#hasSamples && (this.#openMetrics || meta.kind === 'type');
      if (late) {
        scan.fail('metadata-after-samples', `${keyword} ${meta.name} after the family's first sample: metadata must come before the samples`, scan.lineStart);
      }
      if ((this.#seenMeta & bit) !== 0) {
        scan.fail('repeated-metadata', `second ${keyword} line for ${quote(meta.name)}: each of TYPE, UNIT and HELP may appear once per family`, scan.lineStart);
      }
    }
    const family = this.#family as FamilyModel;
    this.#seenMeta |= bit;
    if (meta.kind === 'help') family.help = meta.text;
    else if (meta.kind === 'unit') family.unit = meta.text;
    else this.#setType(scan, family, meta.type, meta.textAt);
    if (this.#openMetrics && family.unit !== undefined && family.unit !== '') checkUnit(scan, family, meta.textAt);
  }

  /** Files one sample under its family. Cost: O(labels); one sample object, plus a key on a new metric. */
  sample(scan: LineScan, line: SampleLine): void {
    let kind = line.name === this.#lastName ? this.#lastKind : this.#family === undefined ? 0 : sampleKind(line.name, this.#base, this.#table);
    if (kind === 0) {
      this.#open(scan, line.name, line.nameAt, true);
      kind = sampleKind(line.name, this.#base, this.#table);
    }
    this.#hasSamples = true;
    this.#lastName = line.name;
    this.#lastKind = kind;
    const labels = line.labels;
    const reserved = this.#reserved;
    let skip = -1;
    if (reserved !== undefined) {
      skip = findLabel(labels, reserved.name);
      if (kind === reserved.kind && skip < 0) {
        scan.fail('missing-label', `${quote(line.name)} has no ${reserved.name} label: every such ${this.#rules.type} sample needs one`, line.nameAt);
      }
      if (kind !== reserved.kind && skip >= 0) {
        const owners = reserved.name === 'le' ? `${this.#base}_bucket samples` : 'quantile samples';
        scan.fail('unexpected-label', `${quote(line.name)} has a ${reserved.name} label: in a ${this.#rules.type} only ${owners} carry it`, line.labelAt[skip] ?? line.nameAt);
      }
    }
    // Consecutive samples of one metric (a histogram's buckets) skip the key: same labels, same metric.
    if (this.#metricKey === undefined || !sameLabels(labels, skip, this.#lastLabels, this.#lastSkip)) {
      const raw = line.labelsPlain ? scan.text.slice(line.labelsFrom, line.labelsTo) : undefined;
      const key = this.#keys.key(labels, skip, raw);
      if (key !== this.#metricKey) this.#nextMetric(scan, key, line);
    }
    this.#lastLabels = labels;
    this.#lastSkip = skip;
    const ts = line.timestamp;
    if (this.#openMetrics) this.#checkTimestamp(scan, line);
    const rules = this.#rules;
    if (rules.open && ts !== undefined && ts !== rules.pointTs) rules.close(scan);
    const reservedValue = skip >= 0 ? labels[skip]?.[1] : undefined;
    const reservedAt = line.labelAt[skip] ?? line.nameAt;
    if (!rules.add(scan, kind, line, reservedValue, reservedAt)) {
      if (ts === undefined) {
        const series = scan.text.slice(line.nameAt, line.valueAt - 1);
        scan.fail('duplicate-series', `series ${quote(series)} appears again: without timestamps each series appears once`, line.nameAt);
      }
      rules.close(scan);
      rules.add(scan, kind, line, reservedValue, reservedAt);
    }
    const sample: SampleModel = { name: line.name, labels, value: line.value };
    if (ts !== undefined) sample.timestamp = ts;
    if (line.exemplar !== undefined) sample.exemplar = line.exemplar;
    (this.#family as FamilyModel).samples.push(sample);
  }

  /** Closes the last family; the result is complete only after this. */
  finish(scan: LineScan): FamilyModel[] {
    this.#rules.close(scan);
    return this.families;
  }

  #open(scan: LineScan, name: string, at: number, fromSample: boolean): void {
    const owner = this.#names.get(name);
    if (owner !== undefined) {
      const other = this.families[owner] as FamilyModel;
      const declared = this.#declaredNames[owner] ?? other.name;
      const line = this.#familyLines[owner] ?? 0;
      if (fromSample && owner === this.#index && declared === name) {
        scan.fail('bad-sample-name', `sample ${quote(name)} does not fit ${other.type} family ${quote(declared)}: its samples are named ${ownedNames(this.#base, this.#table)}`, at);
      }
      // A sample owned by an earlier family means that family came back; so does any repeated name in
      // Prometheus 0.0.4, which reserves no sample names.
      if (declared === name || fromSample || !this.#openMetrics) {
        const what = declared === name ? `family ${quote(name)}` : `sample ${quote(name)} of ${other.type} family ${quote(declared)}`;
        scan.fail('interleaved-family', `${what} (from line ${line}) appears again after another family: a family's metadata and samples must be contiguous`, at);
      }
      scan.fail('name-clash', `${quote(name)} is a sample name of ${other.type} family ${quote(other.name)} (line ${line}): no family may be named like another's samples`, at);
    }
    this.#rules.close(scan);
    const family: FamilyModel = { name, type: 'unknown', samples: [] };
    this.#index = this.families.length;
    this.families.push(family);
    this.#familyLines.push(scan.lineNo);
    this.#declaredNames.push(name);
    this.#names.set(name, this.#index);
    this.#family = family;
    this.#declared = name;
    this.#base = name;
    this.#seenMeta = 0;
    this.#hasSamples = false;
    this.#metricKeys = new Set();
    this.#metricKey = undefined;
    this.#keys.reset();
    this.#applyType(family, 'unknown');
  }

  #setType(scan: LineScan, family: FamilyModel, type: MetricType, at: number): void {
    this.#applyType(family, type);
    if (this.#openMetrics) {
      // Reserve the names this type's samples take, so no later family can use them ([S "Suffixes"]).
      for (const [suffix] of this.#table) {
        if (suffix === '') continue;
        const owner = this.#names.get(family.name + suffix);
        if (owner !== undefined && owner !== this.#index) {
          scan.fail('name-clash', `${type} family ${quote(family.name)} would own sample ${quote(family.name + suffix)}, already a family on line ${this.#familyLines[owner] ?? 0}`, at);
        }
        this.#names.set(family.name + suffix, this.#index);
      }
      return;
    }
    // 0.0.4 counters: the TYPE line names the sample (`x_total`); the model's family is `x`. Clashes stay
    // tracked by the TYPE-line name, so a gauge `x` may stand next to it, as in client_golang's
    // go_memstats_alloc_bytes and go_memstats_alloc_bytes_total.
    if (type === 'counter' && family.name.endsWith('_total') && family.name.length > 6) {
      family.name = family.name.slice(0, -6);
    }
  }

  #applyType(family: FamilyModel, type: MetricType): void {
    family.type = type;
    this.#lastName = '';
    this.#table = suffixTable(type, this.#openMetrics);
    this.#reserved = reservedLabel(type, family.name);
    this.#rules.beginFamily(type, family.name, this.#openMetrics);
  }

  #nextMetric(scan: LineScan, key: string, line: SampleLine): void {
    this.#rules.close(scan);
    // The set holds every metric begun so far, the current one included: one insert per metric, and an
    // insert that does not grow the set is a metric coming back.
    const keys = this.#metricKeys;
    const size = keys.size;
    if (keys.add(key).size === size) {
      scan.fail('interleaved-metric', `the label set of ${quote(scan.rest(line.nameAt))} already appeared earlier in family ${quote(this.#family?.name ?? '')}: a metric's samples must be contiguous`, line.nameAt);
    }
    this.#metricKey = key;
    this.#tsMode = 0;
    this.#lastTs = -Infinity;
  }

  #checkTimestamp(scan: LineScan, line: SampleLine): void {
    const ts = line.timestamp;
    const mode = ts === undefined ? NO_TIMESTAMPS : WITH_TIMESTAMPS;
    if (this.#tsMode === 0) this.#tsMode = mode;
    else if (this.#tsMode !== mode) {
      const has = mode === WITH_TIMESTAMPS ? 'has a timestamp but earlier ones do not' : 'has no timestamp but earlier ones do';
      scan.fail('mixed-timestamps', `${quote(line.name)} ${has}: within a metric either every sample has a timestamp or none does`, ts === undefined ? line.valueAt : line.timestampAt);
    }
    if (ts === undefined) return;
    if (ts < this.#lastTs) {
      scan.fail('timestamp-order', `timestamp ${ts} of ${quote(line.name)} is before the previous ${this.#lastTs}: timestamps within a metric must not decrease`, line.timestampAt);
    }
    this.#lastTs = ts;
  }
}

function checkUnit(scan: LineScan, family: FamilyModel, at: number): void {
  // [S "Unit"]: a non-empty unit must be the name's suffix; info and stateset have none.
  const unit = family.unit ?? '';
  if (family.type === 'info' || family.type === 'stateset') {
    scan.fail('bad-unit', `${family.type} family ${quote(family.name)} has unit ${quote(unit)}: info and stateset families may not have a unit`, at);
  }
  if (!family.name.endsWith(`_${unit}`)) {
    scan.fail('bad-unit', `unit ${quote(unit)} is not the suffix of ${quote(family.name)}: name the family ${family.name}_${unit} or drop the UNIT line`, at);
  }
}

function findLabel(labels: LabelPair[], name: string): number {
  for (let i = 0; i < labels.length; i++) if (labels[i]?.[0] === name) return i;
  return -1;
}

/** Whether two label sets match position by position, each without its reserved label. */
function sameLabels(a: LabelPair[], skipA: number, b: LabelPair[], skipB: number): boolean {
  const n = a.length - (skipA >= 0 ? 1 : 0);
  if (n !== b.length - (skipB >= 0 ? 1 : 0)) return false;
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++, i++, j++) {
    if (i === skipA) i++;
    if (j === skipB) j++;
    const x = a[i] as LabelPair;
    const y = b[j] as LabelPair;
    if (x[0] !== y[0] || x[1] !== y[1]) return false;
  }
  return true;
}
