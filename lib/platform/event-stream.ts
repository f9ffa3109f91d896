// The in-process event stream the stream processor consumes: a bounded FIFO of events with event times, the
// stand-in for a Kinesis or Kafka topic. push(): one array append; drain(): one splice. Always: it holds at
// most `capacity` events; a push beyond that is refused and counted in `dropped`, never buffered.

export const DEFAULT_STREAM_CAPACITY = 100_000;

export interface StreamEvent {
  /** Column values by name, e.g. `{ user_id: "user_7", ad_id: "ad_3" }`. */
  readonly fields: Readonly<Record<string, string>>;
  /** When the event happened (Unix ms), as its producer stamped it. */
  readonly eventTimeMs: number;
}

export class EventStream {
  readonly name: string;
  readonly capacity: number;
  /** Events refused because the stream was full (the processor fell behind). */
  dropped = 0;
  #events: StreamEvent[] = [];

  constructor(name: string, capacity = DEFAULT_STREAM_CAPACITY) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`invalid stream capacity=${String(capacity)}: must be a whole number >= 1`);
    this.name = name;
    this.capacity = capacity;
  }

  /** Appends `event`; false (and counted as dropped) when the stream is full. */
  push(event: StreamEvent): boolean {
    if (this.#events.length >= this.capacity) {
      this.dropped++;
      return false;
    }
    this.#events.push(event);
    return true;
  }

  /** Takes up to `max` of the oldest events. */
  drain(max: number): StreamEvent[] {
    return this.#events.splice(0, max);
  }

  /** Events waiting to be processed. */
  get length(): number {
    return this.#events.length;
  }
}
