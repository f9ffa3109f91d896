// The cost of handing a caller new memory the size of an exposition, as Registry.scrape() does after rendering
// (Buffer.allocUnsafe plus a copy). Where first touching a page is slow (a VM whose guest returns freed memory to
// its host faults every 4 KiB page of a fresh allocation), this floor, not the rendering, bounds scrape().
import type { Contender } from './harness.js';
import { median } from './harness.js';

/** The last copy, held until the next one as a caller holds a scrape's result. */
const kept: Buffer[] = [];

/** A contender that makes one fresh copy of `bytes` per call and drops the previous one, like a scrape() caller. */
export function freshCopy(name: string, bytes: Uint8Array): Contender {
  return {
    name,
    async: true,
    once: async (): Promise<void> => {
      const copy = Buffer.allocUnsafe(bytes.length);
      copy.set(bytes);
      kept[0] = copy;
    },
  };
}

/** Page faults per fresh copy of `bytes` and their cost: the median of 9 copies. */
export function faultsPerFreshCopy(bytes: Uint8Array): { faults: number; microsPerFault: number } {
  const faults: number[] = [];
  const micros: number[] = [];
  for (let i = 0; i < 9; i++) {
    const before = process.resourceUsage().minorPageFault;
    const start = performance.now();
    const copy = Buffer.allocUnsafe(bytes.length);
    copy.set(bytes);
    kept[0] = copy;
    const elapsed = performance.now() - start;
    const count = process.resourceUsage().minorPageFault - before;
    faults.push(count);
    if (count > 0) micros.push((elapsed * 1000) / count);
  }
  return { faults: median(faults), microsPerFault: micros.length > 0 ? median(micros) : 0 };
}
