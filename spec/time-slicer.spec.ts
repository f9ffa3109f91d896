import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { performance } from 'node:perf_hooks';
import { TimeSlicer } from '../lib/time-slicer.js';

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

test('a step that would carry the stretch past the budget waits for a yield', () => {
  const slicer = new TimeSlicer(10);
  slicer.due();
  busy(6);
  slicer.stepDone();
  assert.ok(slicer.due(), 'six ms spent plus a six ms step would pass ten');
});

test('steps that fit the budget run in one stretch, and a yield starts a new one', async () => {
  const slicer = new TimeSlicer(60_000);
  for (let i = 0; i < 100; i++) {
    assert.not.ok(slicer.due(), `step ${i} fits a minute`);
    slicer.stepDone();
  }
  const tight = new TimeSlicer(100);
  tight.due();
  busy(60);
  tight.stepDone();
  assert.ok(tight.due(), 'sixty ms spent plus a sixty ms step would pass a hundred');
  await tight.yield();
  // The last step's cost still counts: a sixty ms step fits a fresh hundred ms stretch (unless the machine stalls 40 ms).
  assert.not.ok(tight.due(), 'a fresh stretch has room for one more step');
});

test.run();
