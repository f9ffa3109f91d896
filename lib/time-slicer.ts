// Splits a long synchronous job (a scrape's families, a copy's slices) into stretches of at most about
// `budgetMs`, yielding to the event loop between steps. A step is put off to the next stretch when the
// stretch so far plus the last step's cost would pass the budget, so a stretch rarely overshoots by a step.
// Cost per step: two performance.now() calls (~60 ns); a yield is one setImmediate turn.
import { performance } from 'node:perf_hooks';

export class TimeSlicer {
  readonly #budgetMs: number;
  #stretchStart = performance.now();
  #stepStart = this.#stretchStart;
  #lastStep = 0;

  constructor(budgetMs: number) {
    this.#budgetMs = budgetMs;
  }

  /** Whether the next step should wait for a yield(); call it before every step (it starts the step's clock). */
  due(): boolean {
    const now = performance.now();
    this.#stepStart = now;
    return now - this.#stretchStart + this.#lastStep > this.#budgetMs;
  }

  /** Lets the event loop run, then starts a new stretch. */
  async yield(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#stretchStart = this.#stepStart = performance.now();
  }

  /** Starts a new stretch: the caller has just awaited something of its own, so the loop has run. */
  resumed(): void {
    this.#stretchStart = this.#stepStart = performance.now();
  }

  /** Call after each step: its cost predicts the next one's. */
  stepDone(): void {
    this.#lastStep = performance.now() - this.#stepStart;
  }
}
