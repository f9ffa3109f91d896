// Writing a sample value: omen's ByteWriter.value() against String(x) written into a buffer (what a serializer that
// builds strings pays, prom-client's included), for the three kinds of value a scrape meets: 17-digit doubles (a
// gauge that accumulates steps), values with at most three decimals, and safe integers. Checked first: the bytes
// written for every value are exactly String(x)'s.
import type { GroupResult, Row } from './report.js';
import { ByteWriter } from '../lib/exposition/byte-writer.js';
import { time } from './harness.js';
import { Prng } from './prng.js';
import { fromStat, times } from './report.js';

const VALUES = 4096; // a power of two, indexed with a mask
const MASK = VALUES - 1;

interface Kind {
  label: string;
  values: Float64Array;
}

function kinds(): Kind[] {
  const prng = new Prng(1729);
  const of = (make: () => number): Float64Array => Float64Array.from({ length: VALUES }, make);
  return [
    { label: 'a 17-digit double (a gauge that sums steps: 0.1 + 0.2 style)', values: of(() => prng.next() * 1000 + (1 + prng.below(500)) / 100) },
    { label: 'a value with at most three decimals (123.456)', values: of(() => prng.below(1_000_000) / 1000 + 0.001) },
    { label: 'a safe integer (a counter past 2^31)', values: of(() => 2 ** 31 + prng.below(1_000_000_000)) },
  ];
}

export async function numbersGroup(): Promise<GroupResult> {
  const rows: Row[] = [];
  for (const { label, values } of kinds()) {
    const writer = new ByteWriter(1 << 20);
    const target = Buffer.allocUnsafe(1 << 20);
    for (let i = 0; i < VALUES; i++) {
      writer.reset();
      writer.value(values[i]!);
      const expected = String(values[i]!);
      if (writer.view().toString('latin1') !== expected) throw new Error(`numbers check: wrote ${writer.view().toString('latin1')} for ${expected}`);
    }
    let omenAt = 0;
    let stringAt = 0;
    let position = 0;
    const [o, s] = await time([
      {
        name: `omen value(): ${label}`,
        run: (k: number): void => {
          writer.reset();
          for (let i = 0; i < k; i++) {
            if ((i & 0xffff) === 0xffff) writer.reset();
            writer.value(values[omenAt++ & MASK]!);
          }
        },
      },
      {
        name: `String() then latin1: ${label}`,
        run: (k: number): void => {
          for (let i = 0; i < k; i++) {
            if (position > target.length - 32) position = 0;
            position += target.write(String(values[stringAt++ & MASK]!), position, 'latin1');
          }
        },
      },
    ]);
    rows.push({
      operation: `write ${label}`,
      unit: 'ns/value',
      omen: fromStat(o!),
      floor: fromStat(s!),
      floorName: 'String(x) written into a Buffer as latin1',
      ratio: `${times(o!.median / s!.median)} the String() path`,
      goal: '—',
      met: undefined,
    });
  }
  return {
    group: 'numbers',
    title: 'Number formatting',
    rows,
    notes: [
      `Values: ${VALUES} seeded values of each kind, cycled in the same order for both loops; the loop's array read is in both figures. Every value was first checked to be written exactly as String() spells it.`,
      'omen writes integers two digits a step, values with at most three decimals by a multiply-round-divide shortcut, and other doubles with the shortest round-trip writer (lib/exposition/shortest.ts), all straight into the buffer; String() makes a string, which the serializer then copies.',
    ],
  };
}
