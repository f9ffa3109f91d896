// StateSet: a set of named boolean states (`job_state{job_state="running"} 1`), each written as a
// sample whose label, named after the family, holds the state. set()/setOnly() on a bound child: one
// Map lookup for the state's index, byte stores; no allocation.
import type { ByteWriter } from '../exposition/byte-writer.js';
import type { ExpositionFormat } from '../exposition/formats.js';
import type { FamilyOptions } from './family.js';
import { Family, VersionedChild } from './family.js';
import { escapeLabelValue } from '../exposition/escape.js';
import { MetricError, quote } from './errors.js';
import { VALUE_INPUT } from '../exposition/shortest.js';

export interface StateSetOptions extends FamilyOptions {
  /** The possible states, in the order they are written. */
  states: readonly string[];
}

export class StateSetChild extends VersionedChild {
  readonly on: Uint8Array;

  constructor(readonly family: StateSet) {
    super();
    this.on = new Uint8Array(family.states.length);
  }

  /** Turns one state on or off; unknown states are refused. */
  set(state: string, on: boolean): void {
    const index = this.family.stateIndex(state);
    if (index < 0) return;
    this.on[index] = on ? 1 : 0;
    this.version++;
    this.family.dirty = true;
  }

  /** Turns `state` on and every other state off: the enum case. */
  setOnly(state: string): void {
    const index = this.family.stateIndex(state);
    if (index < 0) return;
    this.on.fill(0);
    this.on[index] = 1;
    this.version++;
    this.family.dirty = true;
  }

  isOn(state: string): boolean {
    const index = this.family.stateIndex(state);
    return index >= 0 && this.on[index] === 1;
  }
}

export class StateSet extends Family<StateSetChild> {
  readonly type = 'stateset';
  readonly states: readonly string[];
  #indexes = new Map<string, number>();
  #fragments: Buffer[];
  #sampleName: Buffer;

  constructor(options: StateSetOptions) {
    if (options.unit !== undefined && options.unit !== '') {
      throw new MetricError('invalid-unit', `${options.name}: statesets cannot have a unit (OpenMetrics "StateSet"); remove unit ${quote(options.unit)}`, options.name);
    }
    super(options, options.name, '', [options.name]);
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(this.name)) {
      throw new MetricError('invalid-name', `stateset name ${quote(this.name)} is also its state label's name, so it must match [a-zA-Z_][a-zA-Z0-9_]*`, this.name);
    }
    const states = options.states;
    if (!Array.isArray(states) || states.length === 0) {
      throw new MetricError('invalid-option', `${this.name}: states must be a non-empty array of strings, got ${quote(states)}`, this.name);
    }
    for (const state of states) {
      if (typeof state !== 'string' || this.#indexes.has(state)) {
        throw new MetricError('invalid-option', `${this.name}: state ${quote(state)} must be a string that appears once`, this.name);
      }
      // A lone surrogate has no UTF-8 form; it would be written as U+FFFD, as a label value would.
      if (/\p{Cs}/u.test(state)) {
        throw new MetricError('invalid-option', `${this.name}: state ${quote(state)} holds a lone UTF-16 surrogate; states must be well-formed strings`, this.name);
      }
      this.#indexes.set(state, this.#indexes.size);
    }
    this.states = [...states];
    this.#fragments = this.states.map((state) => Buffer.from(`${this.name}="${escapeLabelValue(state)}"`));
    this.#sampleName = Buffer.from(this.name);
    this.init();
  }

  set(state: string, on: boolean): void {
    this.single.set(state, on);
  }

  setOnly(state: string): void {
    this.single.setOnly(state);
  }

  sampleNames(): string[] {
    return [this.name];
  }

  /** @internal The index of `state`, or -1 after reporting it as unknown. */
  stateIndex(state: string): number {
    const index = this.#indexes.get(state);
    if (index !== undefined) return index;
    this.reject(new MetricError('invalid-value', `${this.name}: unknown state ${quote(state)}; states are [${this.states.join(', ')}]`, this.name));
    return -1;
  }

  protected createChild(): StateSetChild {
    return new StateSetChild(this);
  }

  protected resetChild(child: StateSetChild): void {
    child.on.fill(0);
  }

  protected writeChild(writer: ByteWriter, child: StateSetChild, _format: ExpositionFormat, stamp: Uint8Array): void {
    for (let i = 0; i < this.#fragments.length; i++) {
      VALUE_INPUT[0] = child.on[i]!;
      this.writeSample(writer, this.#sampleName, child, this.#fragments[i], stamp);
    }
  }
}
