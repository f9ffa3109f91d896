// startTimer() for histograms and summaries: `end()` observes the seconds since the start, on the child
// for the start's labels merged with the end's. Cost: a closure at start, a labels() lookup at end;
// one per request or job, not per tight loop (bind a child and observe() there instead).
import type { LabelValue } from './family.js';

type Labels = Readonly<Record<string, LabelValue>>;
type Partial = object | undefined;

/** The part of a histogram or summary a timer uses. */
interface Timed {
  readonly labelNames: readonly string[];
  labels(values: Labels): { observe(value: number): void };
  observe(value: number): void;
}

export function startTimer<P extends Partial>(family: Timed, labels?: P): (endLabels?: P) => number {
  const start = performance.now();
  return (endLabels) => {
    const seconds = (performance.now() - start) / 1000;
    if (family.labelNames.length === 0) family.observe(seconds);
    else family.labels((endLabels === undefined ? (labels ?? {}) : { ...labels, ...endLabels }) as Labels).observe(seconds);
    return seconds;
  };
}
