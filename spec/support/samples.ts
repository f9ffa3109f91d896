// One way for specs to read samples back from a scrape: parse it with omen's strict parser (so every read
// also checks the exposition), then look samples up by family, labels and name, or by series text as
// written (`name{a="b"}`). Not a spec itself.
import type { FamilyModel, SampleModel } from '../../lib/exposition/model.js';
import { parse } from '../../lib/exposition/parse/parser.js';

/** The families of an exposition: OpenMetrics when it ends in `# EOF`, else Prometheus text 0.0.4. */
export function readFamilies(input: string | Uint8Array): FamilyModel[] {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  return parse(text, { format: isOpenMetrics(text) ? 'openmetrics' : 'prometheus' });
}

/** The samples of `family` named `name` (default the family name) whose labels include `labels`. */
export function samples(families: FamilyModel[], family: string, labels: Record<string, string> = {}, name = family): SampleModel[] {
  const model = families.find((candidate) => candidate.name === family);
  if (model === undefined) return [];
  return model.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels.some(([lk, lv]) => lk === k && lv === v)));
}

/** The one sample's value; throws when there is none or several. */
export function valueOf(families: FamilyModel[], family: string, labels: Record<string, string> = {}, name = family): number {
  const found = samples(families, family, labels, name);
  if (found.length !== 1) throw new Error(`expected one ${name}${JSON.stringify(labels)}, found ${found.length}`);
  return found[0]!.value;
}

/**
 * The sample whose series text is `series` (name and label set in written order), with its timestamp as the
 * exposition wrote it: milliseconds in 0.0.4, seconds in OpenMetrics. Throws when there is none.
 */
export function sample(input: string | Uint8Array, series: string): { value: number; timestamp: number | undefined } {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  const wanted = seriesKey(parse(`${series} 0\n`, { format: 'prometheus' })[0]!.samples[0]!);
  const found = readFamilies(text).flatMap((family) => family.samples).find((candidate) => seriesKey(candidate) === wanted);
  if (found === undefined) throw new Error(`no sample ${series} in:\n${text}`);
  const timestamp = found.timestamp === undefined ? undefined : isOpenMetrics(text) ? found.timestamp : Math.round(found.timestamp * 1000);
  return { value: found.value, timestamp };
}

export function value(input: string | Uint8Array, series: string): number {
  return sample(input, series).value;
}

/** The series text (`name{a="b"}`, labels as written) of every sample named `name`. */
export function seriesOf(input: string | Uint8Array, name: string): string[] {
  return readFamilies(input)
    .flatMap((family) => family.samples)
    .filter((candidate) => candidate.name === name)
    .map(seriesKey);
}

function seriesKey(sample: SampleModel): string {
  if (sample.labels.length === 0) return sample.name;
  return `${sample.name}{${sample.labels.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}

function isOpenMetrics(text: string): boolean {
  return text.endsWith('# EOF\n') || text.endsWith('# EOF');
}
