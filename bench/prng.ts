// Seeded pseudo-random numbers for benchmark data, so every run and every contender sees the same values.
// next(): a few integer operations, no allocation. Always: the same seed gives the same sequence.
// The generator is Marsaglia's xorshift32 (shifts 13, 17, 5); a zero seed is replaced, since 0 is a fixed point.

export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0 || 0x9e3779b9;
  }

  /** A uniform integer in [0, 2^32). */
  nextUint32(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Latency-like values: log-uniform between `low` and `high` seconds. */
  logUniform(low: number, high: number): number {
    return low * Math.pow(high / low, this.next());
  }
}

/** `count` latency-like values in seconds, spread over the default histogram buckets (1 ms to 20 s). */
export function latencies(seed: number, count: number): Float64Array {
  const prng = new Prng(seed);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = prng.logUniform(0.001, 20);
  return values;
}
