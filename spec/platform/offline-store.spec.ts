import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OfflineStore, OfflineStoreError, readOfflineRows, rotatedFiles, rotatedPath } from '../../lib/platform/offline-store.js';

let dir: string;
let path: string;

test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'omen-offline-'));
  path = join(dir, 'data', 'offline-store.jsonl');
});

test.after.each(() => rmSync(dir, { recursive: true, force: true }));

const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ id: from + i, text: 'line\nbreak "quoted" \u2028' }));

test('appended rows read back one JSON object per line, newlines inside values escaped', async () => {
  const store = await OfflineStore.open(path);
  await store.append(rows(0, 3));
  await store.append(rows(3, 2));
  await store.close();
  const { rows: read, tornBytes } = await readOfflineRows(path);
  assert.equal(read, rows(0, 5));
  assert.is(tornBytes, 0);
  assert.is(readFileSync(path, 'utf8').split('\n').length, 6, 'five lines and a final newline');
});

test('a new store file is private to its owner, in a private directory', async () => {
  const store = await OfflineStore.open(path);
  await store.close();
  assert.is(statSync(path).mode & 0o777, 0o600);
  assert.is(statSync(join(dir, 'data')).mode & 0o777, 0o700);
});

test('appends that arrive while a flush runs share the next one: 50 concurrent appends take at most 2 fsyncs', async () => {
  const store = await OfflineStore.open(path);
  await Promise.all(Array.from({ length: 50 }, (_, i) => store.append(rows(i * 2, 2))));
  assert.ok(store.stats.flushes <= 2, `${store.stats.flushes} flushes`);
  assert.is(store.stats.rows, 100);
  await store.close();
  assert.is((await readOfflineRows(path)).rows.length, 100);
});

test('append resolves only once its rows are in the file; appends during a flush wait for the next one', async () => {
  const store = await OfflineStore.open(path);
  const first = store.append(rows(0, 1)).then(() => readFileSync(path, 'utf8'));
  const second = store.append(rows(1, 1)).then(() => readFileSync(path, 'utf8'));
  assert.is(store.queuedRows, 1, 'the second append waits while the first is being flushed');
  assert.ok((await first).startsWith('{"id":0,'), 'the first row is in the file when its append resolves');
  assert.is((await second).split('\n').length, 3, 'both rows are in the file when the second resolves');
  assert.is(store.stats.flushes, 2);
  await store.close();
});

test('a torn last line is tolerated by the reader and cut off when the store reopens', async () => {
  const first = await OfflineStore.open(path);
  await first.append(rows(0, 3));
  await first.close();
  const clean = statSync(path).size;
  const tornLine = '{"id": 3, "text": "cut sho';
  appendFileSync(path, tornLine);
  const torn = await readOfflineRows(path);
  assert.is(torn.rows.length, 3);
  assert.is(torn.tornBytes, tornLine.length);

  const second = await OfflineStore.open(path);
  assert.equal(second.recovery, { truncatedBytes: tornLine.length, bytes: clean });
  assert.is(statSync(path).size, clean);
  await second.append(rows(3, 1));
  await second.close();
  assert.equal((await readOfflineRows(path)).rows, rows(0, 4), 'the next row starts on its own line');
});

test('a file that is all torn line (a crash during the first write) reopens empty', async () => {
  const store = await OfflineStore.open(path);
  await store.close();
  writeFileSync(path, '{"id": 0, "te');
  const reopened = await OfflineStore.open(path);
  assert.equal(reopened.recovery, { truncatedBytes: 13, bytes: 0 });
  await reopened.close();
  assert.is(readFileSync(path, 'utf8'), '');
});

test('a last whole line that is not JSON is damage the store did not cause: open refuses, naming the bytes', async () => {
  const store = await OfflineStore.open(path);
  await store.append(rows(0, 2));
  await store.close();
  appendFileSync(path, '\u0000\u0000\u0000\n');
  const error = await OfflineStore.open(path).catch((caught: unknown) => caught);
  assert.instance(error, OfflineStoreError);
  assert.match((error as Error).message, /last line \(bytes \d+ to \d+\) is not JSON; move the file aside/);
  const read = await readOfflineRows(path).catch((caught: unknown) => caught);
  assert.match((read as Error).message, /corrupt at line 3/);
});

/** Every row of the store at `path`: its rotated files oldest first, then the current file. */
async function allRows(): Promise<{ id: number }[]> {
  const files = [...(await rotatedFiles(path)).map((file) => file.path), path];
  const rows: { id: number }[] = [];
  for (const file of files) rows.push(...((await readOfflineRows(file)).rows as { id: number }[]));
  return rows;
}

const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

test('past maxFileBytes the file rotates to the next numbered file, and no rotation replaces an earlier one', async () => {
  const store = await OfflineStore.open(path, { maxFileBytes: 200 });
  for (let i = 0; i < 9; i++) await store.append(rows(i * 2, 2));
  await store.close(); // a rotation runs after the append that triggered it resolves; close waits for it
  assert.is(store.stats.rotations, 3, 'about 90 bytes per append: every third append crosses 200 bytes');
  assert.equal(
    (await rotatedFiles(path)).map((file) => file.path),
    [1, 2, 3].map((n) => join(dir, 'data', `offline-store.${n}.jsonl`)),
  );
  assert.equal((await allRows()).map((row) => row.id), ids(0, 18), 'every acknowledged row, in order, none lost');
  assert.is(rotatedPath('/x/offline-store.jsonl', 12), '/x/offline-store.12.jsonl');
  assert.is(rotatedPath('/x/store', 2), '/x/store.2');
});

test('a reopened store numbers its rotations after the highest file there, so a restart replaces none', async () => {
  const first = await OfflineStore.open(path, { maxFileBytes: 200 });
  for (let i = 0; i < 3; i++) await first.append(rows(i * 2, 2));
  await first.close();
  // A gap in the numbers (an operator archived some) and files that only look alike are left alone.
  renameSync(rotatedPath(path, 1), rotatedPath(path, 7));
  writeFileSync(join(dir, 'data', 'offline-store.x.jsonl'), 'not ours\n');
  writeFileSync(join(dir, 'data', 'offline-store.07.jsonl'), 'not ours\n');
  const second = await OfflineStore.open(path, { maxFileBytes: 200 });
  for (let i = 3; i < 6; i++) await second.append(rows(i * 2, 2));
  await second.close();
  assert.equal((await rotatedFiles(path)).map((file) => file.number), [7, 8]);
  assert.equal((await allRows()).map((row) => row.id), ids(0, 12));
});

test('after close, appends reject with a message saying nothing was written', async () => {
  const store = await OfflineStore.open(path);
  await store.close();
  await store.close(); // twice is fine
  const error = await store.append(rows(0, 1)).catch((caught: unknown) => caught);
  assert.instance(error, OfflineStoreError);
  assert.match((error as Error).message, /is closed; rows were not written/);
});

test('close waits for queued rows to be written', async () => {
  const store = await OfflineStore.open(path);
  const pending = [store.append(rows(0, 1)), store.append(rows(1, 1)), store.append(rows(2, 1))];
  await store.close();
  await Promise.all(pending);
  assert.is((await readOfflineRows(path)).rows.length, 3);
});

test('a row JSON cannot encode is refused before anything is queued', async () => {
  const store = await OfflineStore.open(path);
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  const error = await store.append([{ id: 0 }, circular]).catch((caught: unknown) => caught);
  assert.instance(error, TypeError);
  assert.is(store.queuedRows, 0);
  await store.close();
  assert.equal((await readOfflineRows(path)).rows, [], 'not even the good row of that append');
});

test('after a failed write or rotation the store acknowledges nothing more, and says a restart recovers it', async () => {
  const store = await OfflineStore.open(path, { maxFileBytes: 1 });
  // A file put where the next rotation goes after open(): the store will not replace it, so the rotation fails.
  writeFileSync(rotatedPath(path, 1), 'someone else\'s\n');
  await store.append(rows(0, 1)); // durable before the rotation is tried, so acknowledged
  const error = await store.append(rows(1, 1)).catch((caught: unknown) => caught);
  assert.instance(error, OfflineStoreError);
  assert.match((error as Error).message, /rotate failed \(.+offline-store\.1\.jsonl already exists and is not replaced; move it aside\); no rows are acknowledged until omen serve restarts, which recovers the file/);
  await store.close();
  assert.equal((await readOfflineRows(path)).rows, rows(0, 1));
  assert.is(readFileSync(rotatedPath(path, 1), 'utf8'), 'someone else\'s\n');
});

test('an invalid rotation size is refused with the rule and the default', async () => {
  const error = await OfflineStore.open(path, { maxFileBytes: 0 }).catch((caught: unknown) => caught);
  assert.match(String(error), /maxFileBytes=0: must be a whole number of bytes >= 1; omit it for 67108864/);
});

test.run();
