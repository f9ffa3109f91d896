import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_TARGETS, validateTargets, type QuantileTarget } from '../../lib/quantile/targets.js';

function bad(targets: unknown, pattern: RegExp, kind: typeof RangeError | typeof TypeError = RangeError): void {
  assert.throws(() => validateTargets(targets as QuantileTarget[]), (error: unknown) => {
    return error instanceof kind && pattern.test((error as Error).message);
  });
}

test('the default targets are the median, p90 and p99 at 5 %, 1 % and 0.1 %', () => {
  assert.equal(DEFAULT_TARGETS.map((t) => [t.q, t.error]), [[0.5, 0.05], [0.9, 0.01], [0.99, 0.001]]);
  assert.ok(Object.isFrozen(DEFAULT_TARGETS) && Object.isFrozen(DEFAULT_TARGETS[0]));
});

test('validation returns a sorted copy that later edits to the input do not reach', () => {
  const input = [{ q: 0.99, error: 0.001 }, { q: 0, error: 0.5 }, { q: 1, error: 0.001 }, { q: 0.5, error: 0.05 }];
  const valid = validateTargets(input);
  assert.equal(valid.map((t) => t.q), [0, 0.5, 0.99, 1]);
  input[0]!.q = 0.1;
  assert.is(valid[2]!.q, 0.99);
});

test('q outside [0, 1], NaN or not a number is rejected, naming the value', () => {
  bad([{ q: 1.5, error: 0.01 }], /q=1\.5: q must be a number in \[0, 1\]/);
  bad([{ q: -0.1, error: 0.01 }], /q=-0\.1/);
  bad([{ q: NaN, error: 0.01 }], /q=NaN/);
  bad([{ q: '0.5', error: 0.01 }], /q="0\.5"/);
  bad([{ error: 0.01 }], /q=undefined/);
});

test('an error outside (0, 1) is rejected, naming the target', () => {
  bad([{ q: 0.9, error: 0 }], /q=0\.9 error=0: error must be a number in \(0, 1\)/);
  bad([{ q: 0.9, error: 1 }], /error=1:/);
  bad([{ q: 0.9, error: -0.01 }], /error=-0\.01/);
  bad([{ q: 0.9, error: Infinity }], /error=Infinity/);
  bad([{ q: 0.9 }], /error=undefined/);
});

test('duplicate q, an empty list and non-objects are rejected', () => {
  bad([{ q: 0.9, error: 0.01 }, { q: 0.9, error: 0.05 }], /duplicate quantile target q=0\.9/);
  bad([], /give at least one/);
  bad([null], /must be an object/, TypeError);
  bad('0.5', /must be an array/, TypeError);
});

test.run();
