// Spec helpers for windows: seeded traffic and list-based references computed from event times (the seeded
// PRNG comes from spec/support/prng.ts and is re-exported here).
// Not a spec file itself (the runner picks up *.spec.js only); kept apart so each spec reads as its cases.
// Always: references scan plain sorted arrays, sharing no code with lib/window.

import { prng } from '../support/prng.js';

export { prng };

export type Traffic = 'steady' | 'bursty' | 'idle';

/** Sorted integer event times in ms over [0, durationMs), seeded. */
export function eventTimes(kind: Traffic, seed: number, durationMs: number): number[] {
  const rnd = prng(seed);
  const times: number[] = [];
  const gap = (meanMs: number): number => -Math.log(1 - rnd()) * meanMs;
  let t = 0;
  if (kind === 'steady') {
    for (t = gap(20); t < durationMs; t += gap(20)) times.push(Math.floor(t));
  } else if (kind === 'bursty') {
    while (t < durationMs) {
      const stop = t + 1_000 + rnd() * 40_000;
      const meanMs = 0.5 + rnd() * 20;
      for (t += gap(meanMs); t < stop && t < durationMs; t += gap(meanMs)) times.push(Math.floor(t));
      t += 1_000 + rnd() * 200_000;
    }
  } else {
    // Mostly silence: rare lone events, some gaps far longer than a window.
    for (t = gap(90_000); t < durationMs; t += gap(90_000)) times.push(Math.floor(t));
  }
  return times;
}

/** Increasing read times: one every 1-10 s, seeded, a fifth of them moved forward onto a slot boundary. */
export function readTimes(seed: number, durationMs: number, slotMs: number): number[] {
  const rnd = prng(seed);
  const reads: number[] = [];
  for (let t = 500; t < durationMs; t += 1_000 + Math.floor(rnd() * 9_000)) {
    if (rnd() < 0.2) t = Math.ceil(t / slotMs) * slotMs;
    reads.push(t);
  }
  return reads;
}

/** How many of the sorted `times` fall in [from, to] (both ends included). */
export function countIn(times: readonly number[], from: number, to: number): number {
  return upperBound(times, to) - lowerBound(times, from);
}

/** Indexes [lo, hi) of the sorted `times` inside [from, to]. */
export function rangeIn(times: readonly number[], from: number, to: number): [number, number] {
  return [lowerBound(times, from), upperBound(times, to)];
}

/** The most events of sorted `times` inside any closed interval of length `widthMs`. */
export function densest(times: readonly number[], widthMs: number): number {
  let most = 0;
  for (let lo = 0, hi = 0; lo < times.length; lo++) {
    while (hi < times.length && times[hi]! <= times[lo]! + widthMs) hi++;
    most = Math.max(most, hi - lo);
  }
  return most;
}

/**
 * Start of the interval a window documents as covered at time t (origin 0): the start of the oldest of the
 * `slots` most recent slots, or 0 while the window is younger than that.
 */
export function documentedStart(t: number, slotMs: number, slots: number): number {
  return Math.max(0, (Math.floor(t / slotMs) - slots + 1) * slotMs);
}

function lowerBound(times: readonly number[], value: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(times: readonly number[], value: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
