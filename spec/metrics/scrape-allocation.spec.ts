// A scrape that re-renders every series allocates nothing per sample: counted with V8's sampling heap profiler in a
// process of its own (spec/support/allocation-probe.ts), so a boxed double or a per-line object on the render path
// shows up as bytes per series.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OPENMETRICS, PROMETHEUS } from '../../lib/exposition/formats.js';

const probe = fileURLToPath(new URL('../support/allocation-probe.js', import.meta.url));

for (const format of [PROMETHEUS, OPENMETRICS]) {
  test(`re-rendering every series allocates under a byte per series (${format.id})`, () => {
    const output = execFileSync(process.execPath, [probe, format.id], { encoding: 'utf8', timeout: 60_000 });
    const { bytes, top, series, rounds } = JSON.parse(output) as { bytes: number; top: string; series: number; rounds: number };
    const perSeries = bytes / rounds / series;
    assert.ok(perSeries < 1, `a scrape allocated ${perSeries.toFixed(2)} B per series in lib/ (${bytes} B over ${rounds} scrapes; most in ${top})`);
  });
}

test.run();
