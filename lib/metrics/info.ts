// Info: constant facts about the target as labels on a sample of value 1 (`build_info{version="1.2"} 1`).
// A child exists from its labels() call until remove(); there is nothing to record on it.
import type { ByteWriter } from '../exposition/byte-writer.js';
import type { ExpositionFormat } from '../exposition/formats.js';
import type { FamilyOptions } from './family.js';
import { Family, VersionedChild } from './family.js';
import { MetricError } from './errors.js';
import { VALUE_INPUT } from '../exposition/shortest.js';

export class InfoChild extends VersionedChild {}

export class Info extends Family<InfoChild> {
  readonly type = 'info';

  /** `name` may end in `_info`; the family name is the name without it. Info has no unit. */
  constructor(options: FamilyOptions) {
    const name = typeof options.name === 'string' && options.name.endsWith('_info') ? options.name.slice(0, -5) : options.name;
    if (options.unit !== undefined && options.unit !== '') {
      throw new MetricError('invalid-unit', `${name}: info metrics cannot have a unit (OpenMetrics "Info"); remove unit ${JSON.stringify(options.unit)}`, name);
    }
    super(options, name, '_info');
    this.init();
  }

  sampleNames(): string[] {
    return [`${this.name}_info`];
  }

  protected createChild(): InfoChild {
    return new InfoChild();
  }

  protected resetChild(): void {}

  protected writeChild(writer: ByteWriter, child: InfoChild, _format: ExpositionFormat, stamp: Uint8Array): void {
    VALUE_INPUT[0] = 1;
    this.writePrimary(writer, child, stamp);
  }
}
