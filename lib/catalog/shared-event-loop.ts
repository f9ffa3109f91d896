// One event-loop reading per scrape, shared by every event-loop utilization family of a catalog: one process
// is a fleet of one, so its maximum, average and minimum utilization must be the same number, and windows fed
// the same readings at the same times compute the same percent. read(): a field load; refresh(): one sample.
import type { EluSample, EluSource } from '../window/utilization.js';
import type { Registry } from '../registry.js';
import { nodeEventLoop } from '../window/utilization.js';

export class SharedEventLoop {
  readonly #source: EluSource;
  #sample: EluSample;

  /** Takes the first reading now and refreshes it before each scrape writes a family (a collector). */
  constructor(registry: Registry, source: EluSource = nodeEventLoop) {
    this.#source = source;
    this.#sample = source();
    registry.addCollector('catalog:event-loop', () => {
      this.#sample = this.#source();
    });
  }

  /** The reading of the current scrape (or of construction, before the first scrape). */
  readonly read: EluSource = () => this.#sample;
}
