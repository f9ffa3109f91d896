// The strict OpenMetrics 2.0.0 (rc0) parser: lines, families and metrics by the 2.0 rules, each family
// mapped into the shared model (om2-model.ts). Cost: linear in the input; one pass per line.
// Holds: any input ends in FamilyModel[] or a ParseError with line, column and code, as the 1.0 parser;
// families are told apart by the exact name on their metadata and samples ([OM 2.0 "Name"]: no suffixes).
import type { FamilyModel, MetricType } from '../model.js';
import { quote } from './error.js';
import { OM2Meta, OM2Sample, readOM2Meta, readOM2Sample } from './om2-line.js';
import { FamilyMapper } from './om2-model.js';
import { checkSample } from './om2-rules.js';
import { LineScan } from './scan.js';

const LF = 10;
const CR = 13;
const HASH = 35;
const SPACE = 32;
const TAB = 9;

interface OpenFamily {
  name: string;
  type: MetricType;
  help?: string;
  unit?: string;
  line: number;
  seen: number;
  hasSamples: boolean;
  mapper: FamilyMapper;
}

/** Parses a whole OpenMetrics 2.0 exposition (already decoded) into families in order. */
export function parseOM2(text: string): FamilyModel[] {
  const scan = new LineScan();
  scan.reset(text, false);
  const meta = new OM2Meta();
  const sample = new OM2Sample();
  const state = new Families();
  let pos = 0;
  let lineNo = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    scan.lineNo = ++lineNo;
    scan.lineStart = pos;
    scan.lineEnd = end;
    if (end > pos && text.charCodeAt(end - 1) === CR) scan.fail('bad-line-ending', 'line ends in CR: lines must end in LF alone', end - 1);
    const c = text.charCodeAt(pos);
    if (pos === end) scan.fail('blank-line', 'blank line: OpenMetrics allows no empty lines', pos);
    if (c === HASH) {
      readOM2Meta(scan, meta, pos);
      if (meta.kind === 'eof') {
        // [OM 2.0 ABNF]: exposition = metricset HASH SP eof [LF]
        if (end < text.length - 1) {
          scan.lineNo++;
          scan.lineStart = end + 1;
          scan.fail('text-after-eof', 'text after # EOF: # EOF must be the last line', end + 1);
        }
        return state.finish(scan);
      }
      state.metadata(scan, meta);
    } else if (c === SPACE || c === TAB) {
      scan.fail('unexpected-whitespace', 'line starts with whitespace: OpenMetrics lines start with a name, { or #', pos);
    } else {
      readOM2Sample(scan, sample, pos);
      state.sample(scan, sample);
    }
    pos = end + 1;
  }
  scan.lineNo = text.length === 0 || text.charCodeAt(text.length - 1) === LF ? lineNo + 1 : lineNo;
  scan.lineStart = scan.lineNo === lineNo ? scan.lineStart : text.length;
  return scan.fail('missing-eof', 'the exposition does not end with # EOF: OpenMetrics requires it as the last line', text.length);
}

class Families {
  readonly out: FamilyModel[] = [];
  readonly #seen = new Map<string, number>();
  #family: OpenFamily | undefined;

  metadata(scan: LineScan, meta: OM2Meta): void {
    const bit = meta.kind === 'type' ? 1 : meta.kind === 'help' ? 2 : 4;
    let family = this.#family;
    if (family === undefined || family.name !== meta.name) family = this.#open(scan, meta.name, meta.nameAt);
    else {
      const keyword = `# ${meta.kind.toUpperCase()}`;
      if (family.hasSamples) scan.fail('metadata-after-samples', `${keyword} for ${quote(meta.name)} after its first sample: metadata comes before the samples`, scan.lineStart);
      if ((family.seen & bit) !== 0) scan.fail('repeated-metadata', `second ${keyword} line for ${quote(meta.name)}: each of TYPE, UNIT and HELP may appear once per family`, scan.lineStart);
    }
    family.seen |= bit;
    // [OM 2.0 "MetricFamily metadata"]: an empty UNIT or HELP is as if the line were not there.
    if (meta.kind === 'help') family.help = meta.text === '' ? undefined : meta.text;
    else if (meta.kind === 'unit') family.unit = meta.text === '' ? undefined : meta.text;
    else {
      family.type = meta.type;
      if (meta.type === 'info' && !meta.name.endsWith('_info')) {
        scan.fail('bad-family-name', `info family ${quote(meta.name)} does not end in _info: an info family's name must`, meta.nameAt);
      }
    }
    if (family.unit !== undefined && (family.type === 'info' || family.type === 'stateset')) {
      scan.fail('bad-unit', `${family.type} family ${quote(family.name)} has unit ${quote(family.unit)}: info and stateset families have none`, meta.kind === 'unit' ? meta.textAt : meta.nameAt);
    }
  }

  sample(scan: LineScan, line: OM2Sample): void {
    let family = this.#family;
    if (family === undefined || family.name !== line.name) family = this.#open(scan, line.name, line.nameAt);
    if (!family.hasSamples) {
      family.hasSamples = true;
      family.mapper.begin(family.name, family.type);
    }
    const reserved = family.type === 'summary' ? 'quantile' : family.type === 'stateset' ? family.name : undefined;
    if (family.type === 'summary' && line.labels.some(([name]) => name === 'quantile')) {
      scan.fail('unexpected-label', `summary ${quote(family.name)} has a "quantile" label: its quantiles live in the composite value`, line.labelAt[line.labels.findIndex(([name]) => name === 'quantile')] ?? line.nameAt);
    }
    if (reserved !== undefined && family.type === 'stateset' && !line.labels.some(([name]) => name === reserved)) {
      scan.fail('missing-label', `stateset ${quote(family.name)} sample has no ${quote(reserved)} label: each state is a label named after the family`, line.nameAt);
    }
    checkSample(scan, family.type, family.name, line);
    family.mapper.add(scan, line);
  }

  finish(scan: LineScan): FamilyModel[] {
    this.#close(scan);
    return this.out;
  }

  #open(scan: LineScan, name: string, at: number): OpenFamily {
    const earlier = this.#seen.get(name);
    if (earlier !== undefined) {
      scan.fail('interleaved-family', `family ${quote(name)} (from line ${earlier}) appears again after another family: a family's lines must be contiguous`, at);
    }
    this.#close(scan);
    this.#seen.set(name, scan.lineNo);
    const family: OpenFamily = { name, type: 'unknown', line: scan.lineNo, seen: 0, hasSamples: false, mapper: new FamilyMapper() };
    this.#family = family;
    return family;
  }

  #close(scan: LineScan): void {
    const family = this.#family;
    if (family === undefined) return;
    if (!family.hasSamples) family.mapper.begin(family.name, family.type);
    const model = family.mapper.finish(scan);
    if (family.help !== undefined) model.help = family.help;
    if (family.unit !== undefined) model.unit = family.unit;
    this.out.push(model);
    this.#family = undefined;
  }
}
