// Identity of a metric within a family: its label set without the type's reserved label (`le`, `quantile`,
// a stateset's state), as a string for Set lookups. Cost: usually zero-copy, the raw `{…}` text itself;
// a rendering only for escapes, reserved labels or a label order other than the family's first.
// Invariant: two label sets get the same key exactly when they hold the same names with the same values.
import type { LabelPair } from '../model.js';
import { escapeLabelValue } from '../escape.js';

/** Above this many labels, name positions come from a Map rather than a scan of the reference names. */
const SCAN_LIMIT = 8;

export class MetricKeys {
  /** Label names of the family's first labelled metric, in written order: the family's reference order. */
  #reference: string[] | undefined = undefined;
  #positions: Map<string, number> | undefined = undefined;

  /** Forgets the reference order; call when a new family starts. */
  reset(): void {
    this.#reference = undefined;
    this.#positions = undefined;
  }

  /**
   * The key of `labels` minus the label at `skip`. `raw` is the text between the braces when it may stand
   * for itself: no blanks (OpenMetrics) and no backslash, so it reads exactly like a rendering.
   */
  key(labels: LabelPair[], skip: number, raw: string | undefined): string {
    const n = skip >= 0 ? labels.length - 1 : labels.length;
    if (n === 0) return '';
    const reference = this.#reference ?? (this.#reference = names(labels, skip));
    if (n === reference.length) {
      if (inOrder(labels, skip, reference)) return raw !== undefined && skip < 0 ? raw : render(labels, skip, undefined);
      const order = this.#referenceOrder(labels, skip, reference);
      if (order !== undefined) return render(labels, skip, order);
    }
    // A name set unlike the reference one can never equal a reference-ordered key, so sorted order is safe.
    return render(labels, skip, sortedOrder(labels, skip));
  }

  /** Positions of `labels` in reference order, or undefined when the name sets differ. */
  #referenceOrder(labels: LabelPair[], skip: number, reference: string[]): number[] | undefined {
    const order = new Array<number>(reference.length).fill(-1);
    for (let i = 0; i < labels.length; i++) {
      if (i === skip) continue;
      const at = this.#position(reference, (labels[i] as LabelPair)[0]);
      if (at < 0 || order[at] !== -1) return undefined;
      order[at] = i;
    }
    return order;
  }

  #position(reference: string[], name: string): number {
    if (reference.length <= SCAN_LIMIT) return reference.indexOf(name);
    this.#positions ??= new Map(reference.map((value, index) => [value, index]));
    return this.#positions.get(name) ?? -1;
  }
}

function names(labels: LabelPair[], skip: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < labels.length; i++) if (i !== skip) out.push((labels[i] as LabelPair)[0]);
  return out;
}

function inOrder(labels: LabelPair[], skip: number, reference: string[]): boolean {
  let r = 0;
  for (let i = 0; i < labels.length; i++) {
    if (i === skip) continue;
    if ((labels[i] as LabelPair)[0] !== reference[r++]) return false;
  }
  return true;
}

function sortedOrder(labels: LabelPair[], skip: number): number[] {
  const order: number[] = [];
  for (let i = 0; i < labels.length; i++) if (i !== skip) order.push(i);
  return order.sort((a, b) => ((labels[a] as LabelPair)[0] < (labels[b] as LabelPair)[0] ? -1 : 1));
}

/** `name="value"` pairs joined by commas, values escaped canonically: the raw form of an unescaped label set. */
function render(labels: LabelPair[], skip: number, order: number[] | undefined): string {
  let key = '';
  const count = order === undefined ? labels.length : order.length;
  for (let k = 0; k < count; k++) {
    const i = order === undefined ? k : (order[k] as number);
    if (i === skip) continue;
    const [name, value] = labels[i] as LabelPair;
    key += `${key === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  }
  return key;
}
