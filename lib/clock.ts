// Clocks, injectable so that windows, summaries and timestamps are testable without sleeping.
// `now()` is monotonic milliseconds (never steps back with NTP); `wallMs()` is Unix epoch milliseconds.
import { performance } from 'node:perf_hooks';

export interface Clock {
  /** Monotonic milliseconds from an arbitrary origin; used for windows and rotation. */
  now(): number;
  /** Unix epoch milliseconds; used only for sample timestamps and `_created`. */
  wallMs(): number;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallMs: () => Date.now(),
};

/** A clock that moves only when told to; both readings advance together. */
export class FakeClock implements Clock {
  #mono: number;
  #wall: number;

  constructor(startWallMs = 1_700_000_000_000, startMonoMs = 0) {
    this.#wall = startWallMs;
    this.#mono = startMonoMs;
  }

  now(): number {
    return this.#mono;
  }

  wallMs(): number {
    return this.#wall;
  }

  /** Moves both readings forward (or backward, to test a clock that steps back) by `ms`. */
  advance(ms: number): void {
    this.#mono += ms;
    this.#wall += ms;
  }

  /** Sets the monotonic reading alone, e.g. to simulate a clock that stands still or jumps. */
  setMonotonic(ms: number): void {
    this.#mono = ms;
  }
}
