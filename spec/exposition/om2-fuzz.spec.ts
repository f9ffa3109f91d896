// Seeded mutations of every OpenMetrics 2.0 corpus case: the 2.0 parser answers each with families or a
// ParseError whose line and column lie inside the input, never another exception; what it accepts, the 2.0
// writer writes back to something it accepts again as the same model.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { OPENMETRICS2 } from '../../lib/exposition/om2-format.js';
import { writeModel } from '../../lib/exposition/model-writer.js';
import { ParseError, parse } from '../../lib/exposition/parse/parser.js';
import { prng } from '../support/prng.js';

const corpus = new URL('../../../fixtures/openmetrics2/', import.meta.url);
const inputs = readdirSync(corpus)
  .filter((name) => name.endsWith('.om2'))
  .map((name) => readFileSync(new URL(name, corpus), 'utf8'));
const PIECES = ['{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '#', '=', 'st@', 'count:', 'sum:', 'bucket:', '+Inf', '-', '0', '1e3', 'NaN', 'schema:', '_spans:[0:1]', 'ü', '\u0000'];

test('mutated corpus cases give families or a positioned ParseError, and accepted ones round-trip', () => {
  const next = prng(0xf022);
  let accepted = 0;
  let refused = 0;
  for (const input of inputs) {
    for (let round = 0; round < 25; round++) {
      let text = input;
      for (let m = 1 + Math.floor(next() * 3); m > 0; m--) {
        const at = Math.floor(next() * (text.length + 1));
        const kind = next();
        if (kind < 0.4) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 3));
        else if (kind < 0.8) text = text.slice(0, at) + PIECES[Math.floor(next() * PIECES.length)]! + text.slice(at);
        else text = text.slice(0, at) + text.slice(Math.max(0, at - 8), at) + text.slice(at);
      }
      try {
        const families = parse(text, { format: 'openmetrics2' });
        accepted++;
        const again = parse(writeModel(families, OPENMETRICS2), { format: 'openmetrics2' });
        assert.equal(again, families, JSON.stringify(text));
      } catch (error) {
        if (!(error instanceof ParseError)) {
          assert.unreachable(`${JSON.stringify(text)} threw ${String(error)}`);
          return;
        }
        const lines = text.split('\n').length + 1;
        assert.ok(error.line >= 1 && error.line <= lines && error.column >= 1, `${JSON.stringify(text)}: line ${error.line}, column ${error.column}`);
        refused++;
      }
    }
  }
  assert.ok(accepted > 100 && refused > 1000, `${accepted} accepted, ${refused} refused`);
});

test.run();
