import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ByteWriter, viewOf } from '../../lib/exposition/byte-writer.js';
import { formatValue } from '../../lib/exposition/numbers.js';

const written = (value: number) => {
  const writer = new ByteWriter();
  writer.value(value);
  return writer.view().toString('latin1');
};

test('value() spells every number exactly as formatValue() does, whichever path it takes', () => {
  let seed = 99;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const writer = new ByteWriter();
  for (let i = 0; i < 50_000; i++) {
    const decimals = Math.floor(random() * 8);
    const scale = 10 ** Math.floor(random() * 16 - 5);
    for (const value of [
      (Math.round(random() * 10 ** decimals) / 10 ** decimals) * scale,
      -Math.round(random() * 1e6) / 10 ** decimals,
      random() * scale,
      Math.floor(random() * 1e6) / 1000 + 1692222226,
      Math.floor(random() * 2 ** 53) * (random() < 0.5 ? -1 : 1),
    ]) {
      writer.reset();
      writer.value(value);
      assert.is(writer.view().toString('latin1'), formatValue(value), `for ${value}`);
    }
  }
});

const spells = (value: number, expected: string) => test(`value ${expected}`, () => assert.is(written(value), expected));
spells(0, '0');
spells(-0, '-0');
spells(0.25, '0.25');
spells(0.3, '0.3');
spells(0.1 + 0.2, '0.30000000000000004');
spells(0.000001, '0.000001');
spells(1e-7, '1e-7');
spells(-12.5, '-12.5');
spells(1692222226.141, '1692222226.141');
spells(2 ** 53, '9007199254740992');
spells(NaN, 'NaN');
spells(Infinity, '+Inf');

test('bytes() copies ranges from any Uint8Array and grows past the initial capacity', () => {
  const writer = new ByteWriter(16);
  const chunk = Buffer.from('0123456789');
  for (let i = 0; i < 1000; i++) writer.bytes(chunk, 2, 5);
  writer.bytes(new Uint8Array([0x41, 0x42]));
  writer.bytes(new Uint8Array(0));
  assert.is(writer.length, 3002);
  assert.ok(writer.view().toString('latin1').startsWith('234234'));
  assert.ok(writer.view().toString('latin1').endsWith('234AB'));
});

test('span() copies every range of a source exactly, at any alignment, across growth', () => {
  const source = Buffer.from(Array.from({ length: 97 }, (_, i) => (i * 37 + 11) % 256));
  const view = viewOf(source.subarray(3));
  const inner = source.subarray(3);
  const writer = new ByteWriter(16);
  let expected = Buffer.alloc(0);
  for (let start = 0; start < 40; start += 3) {
    for (let size = 0; size < 23; size++) {
      writer.byte(0x7c);
      writer.span(inner, view, start, start + size);
      expected = Buffer.concat([expected, Buffer.from([0x7c]), inner.subarray(start, start + size)]);
    }
  }
  assert.ok(writer.view().equals(expected));
});

test('copy() is independent of later writes; view() is not', () => {
  const writer = new ByteWriter();
  writer.utf8('héllo');
  const copy = writer.copy();
  const view = writer.view();
  writer.reset();
  writer.ascii('HELLO!');
  assert.is(copy.toString('utf8'), 'héllo');
  assert.is.not(view.toString('latin1'), 'h\xc3\xa9llo');
});

test.run();
