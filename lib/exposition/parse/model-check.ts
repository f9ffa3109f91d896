// Checks a FamilyModel against the OpenMetrics rules the strict parser enforces, without writing it out and
// reading it back: the model's lines are fed to the parser's own builder (metadata, per-type point rules,
// duplicate series, timestamp order) and the checks the text layer makes are made here on the model.
// Cost: O(samples), a few small objects per sample. Holds: a family that passes writes as valid OpenMetrics.
import type { FamilyModel, LabelPair, SampleModel } from '../model.js';
import { ExpositionBuilder } from './builder.js';
import { quote } from './error.js';
import { MetadataLine } from './metadata.js';
import { EXEMPLAR_MAX_CODE_POINTS, SampleLine } from './sample.js';
import { LineScan } from './scan.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Throws a ParseError (code and detail as the parser would give for the written text) if `family` is not writable. */
export function checkFamilyModel(family: FamilyModel): void {
  const scan = new LineScan();
  // The builder quotes slices of the text in a few messages; the family name stands in for the line.
  scan.reset(family.name, false);
  scan.lineNo = 1;
  scan.lineEnd = family.name.length;
  const builder = new ExpositionBuilder(true);
  // A counter whose samples lack _total is written as unknown in OpenMetrics (model-writer.ts).
  const bareCounter = family.type === 'counter' && family.samples.some((sample) => sample.name === family.name);
  const meta = new MetadataLine();
  meta.name = family.name;
  meta.kind = 'type';
  meta.type = bareCounter ? 'unknown' : family.type;
  builder.metadata(scan, meta);
  if (family.unit !== undefined) {
    meta.kind = 'unit';
    meta.text = family.unit;
    builder.metadata(scan, meta);
  }
  if (family.help !== undefined) {
    meta.kind = 'help';
    meta.text = family.help;
    builder.metadata(scan, meta);
  }
  const line = new SampleLine();
  for (const sample of family.samples) {
    scan.lineNo++;
    fill(scan, line, sample, !bareCounter);
    builder.sample(scan, line);
  }
  builder.finish(scan);
}

/** The SampleLine the parser would read from `sample` as written, after the checks the text layer makes. */
function fill(scan: LineScan, line: SampleLine, sample: SampleModel, exemplars: boolean): void {
  if (typeof sample.name !== 'string' || !METRIC_NAME.test(sample.name)) {
    scan.fail('bad-metric-name', `invalid metric name ${quote(String(sample.name))}: a name must match [a-zA-Z_:][a-zA-Z0-9_:]*`, 0);
  }
  line.name = sample.name;
  line.labels = checkLabels(scan, sample.labels, sample.name);
  line.labelAt.length = 0;
  line.labelsPlain = false;
  if (typeof sample.value !== 'number') scan.fail('bad-value', `${quote(sample.name)} has value ${quote(String(sample.value))}: values must be numbers`, 0);
  line.value = sample.value;
  line.timestamp = checkTimestamp(scan, sample.timestamp, sample.name);
  line.exemplar = undefined;
  const exemplar = exemplars ? sample.exemplar : undefined;
  if (exemplar !== undefined) {
    const labels = checkLabels(scan, exemplar.labels, `${sample.name} exemplar`);
    let codePoints = 0;
    for (const [name, value] of labels) codePoints += name.length + [...value].length;
    if (codePoints > EXEMPLAR_MAX_CODE_POINTS) {
      scan.fail('exemplar-too-long', `exemplar labels have ${codePoints} code points: names and values together may have at most ${EXEMPLAR_MAX_CODE_POINTS}`, 0);
    }
    if (typeof exemplar.value !== 'number') scan.fail('bad-exemplar', `exemplar value ${quote(String(exemplar.value))} of ${quote(sample.name)}: must be a number`, 0);
    const timestamp = checkTimestamp(scan, exemplar.timestamp, `${sample.name} exemplar`);
    line.exemplar = timestamp === undefined ? { labels, value: exemplar.value } : { labels, value: exemplar.value, timestamp };
  }
}

/** Label names as the grammar reads them, each once; values strings (the writer escapes any string). */
function checkLabels(scan: LineScan, labels: readonly LabelPair[], owner: string): LabelPair[] {
  if (!Array.isArray(labels)) scan.fail('bad-label-set', `${quote(owner)} has labels ${quote(String(labels))}: must be a list of [name, value] pairs`, 0);
  for (let i = 0; i < labels.length; i++) {
    const pair = labels[i];
    const name = Array.isArray(pair) ? pair[0] : undefined;
    if (typeof name !== 'string' || !LABEL_NAME.test(name)) scan.fail('bad-label-set', `${quote(owner)} has label name ${quote(String(name))}: must match [a-zA-Z_][a-zA-Z0-9_]*`, 0);
    if (typeof pair![1] !== 'string') scan.fail('bad-label-set', `${quote(owner)} label ${name} has value ${quote(String(pair![1]))}: label values must be strings`, 0);
    for (let j = 0; j < i; j++) if (labels[j]![0] === name) scan.fail('duplicate-label', `label ${quote(name)} appears twice in ${quote(owner)}`, 0);
  }
  return labels as LabelPair[];
}

function checkTimestamp(scan: LineScan, timestamp: unknown, owner: string): number | undefined {
  if (timestamp === undefined) return undefined;
  if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) {
    scan.fail('bad-timestamp', `${quote(owner)} has timestamp ${quote(String(timestamp))}: timestamps must be finite numbers`, 0);
  }
  return timestamp;
}
