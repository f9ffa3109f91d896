import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatKeyHash, generateApiKey, findHash, hashApiKey } from '../../lib/server/api-key.js';
import { writeFileAtomic } from '../../lib/server/atomic-file.js';
import { parseStore, ServiceAccountStore, STORE_FILE, StoreError } from '../../lib/server/account-store.js';
import { prepareDataDir } from '../../lib/server/data-dir.js';
import { DEFAULT_POLL_MS, LiveKeyIndex } from '../../lib/server/key-index.js';
import { tempDir, waitFor } from './harness.js';

let dir: string;
let store: ServiceAccountStore;

test.before.each(() => {
  dir = tempDir();
  store = new ServiceAccountStore(join(dir, 'data'), { now: () => new Date('2026-01-02T03:04:05.000Z') });
});

test.after.each(() => rmSync(dir, { recursive: true, force: true }));

test('create makes the data dir 0700 and the store 0600, and returns a long random key once', async () => {
  const { account, apiKey } = await store.create({ name: 'prometheus', description: 'central Prometheus' });
  assert.is(statSync(store.dir).mode & 0o777, 0o700);
  assert.is(statSync(store.path).mode & 0o777, 0o600);
  assert.match(apiKey, /^[A-Za-z0-9_-]{43}$/);
  assert.match(account.id, /^[0-9a-f]{32}$/);
  assert.equal({ ...account, id: '' }, { id: '', name: 'prometheus', description: 'central Prometheus', createdAt: '2026-01-02T03:04:05.000Z' });
  const file = readFileSync(store.path, 'utf8');
  assert.not.ok(file.includes(apiKey), 'the key itself is never written');
  assert.ok(file.includes(formatKeyHash(apiKey)), 'only its hash');
});

test('keys differ every time and hash to the stored form', () => {
  const keys = new Set(Array.from({ length: 200 }, generateApiKey));
  assert.is(keys.size, 200);
  const key = [...keys][0]!;
  assert.match(formatKeyHash(key), /^sha256:[0-9a-f]{64}$/);
  assert.is(formatKeyHash(key), `sha256:${hashApiKey(key).toString('hex')}`);
});

test('findHash finds the match wherever it is, and -1 when absent', () => {
  const hashes = ['a', 'b', 'c'].map(hashApiKey);
  assert.is(findHash(hashApiKey('a'), hashes), 0);
  assert.is(findHash(hashApiKey('c'), hashes), 2);
  assert.is(findHash(hashApiKey('d'), hashes), -1);
  assert.is(findHash(hashApiKey('a'), []), -1);
});

test('list shows id, name, description and created, never a key or hash', async () => {
  await store.create({ name: 'a' });
  await store.create({ name: 'b', description: 'second' });
  const accounts = await store.list();
  assert.equal(accounts.map((a) => [a.name, a.description]), [['a', ''], ['b', 'second']]);
  for (const account of accounts) assert.equal(Object.keys(account).sort(), ['createdAt', 'description', 'id', 'name']);
});

test('delete removes one account and reports unknown ids', async () => {
  const a = await store.create({ name: 'a' });
  const b = await store.create({ name: 'b' });
  assert.is((await store.delete(a.account.id))?.name, 'a');
  assert.is(await store.delete(a.account.id), undefined);
  assert.equal((await store.list()).map((x) => x.id), [b.account.id]);
});

test('an absent store is empty, not an error', async () => {
  assert.equal(await store.list(), []);
});

test('concurrent creates are serialized by the lock and none is lost', async () => {
  const other = new ServiceAccountStore(store.dir);
  await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? store : other).create({ name: `n${i}` })));
  assert.equal((await store.list()).map((a) => a.name).sort(), Array.from({ length: 12 }, (_, i) => `n${i}`).sort());
  assert.not.ok(readdirSync(store.dir).some((name) => name.endsWith('.lock') || name.endsWith('.tmp')), 'no lock or temp file left');
});

test('a lock left by a dead process is taken over', async () => {
  mkdirSync(store.dir, { recursive: true });
  writeFileSync(`${store.path}.lock`, '999999999');
  await store.create({ name: 'after-crash' });
  assert.is((await store.list()).length, 1);
});

test('a lock whose holder died before writing its pid is taken over once it is a few seconds old', async () => {
  mkdirSync(store.dir, { recursive: true });
  writeFileSync(`${store.path}.lock`, '');
  const old = (Date.now() - 60_000) / 1000;
  utimesSync(`${store.path}.lock`, old, old);
  await store.create({ name: 'after-crash' });
  assert.is((await store.list()).length, 1);
});

test('an existing data dir we own with loose permissions is tightened to 0700 on the next edit', async () => {
  mkdirSync(store.dir, { recursive: true });
  chmodSync(store.dir, 0o777);
  await store.create({ name: 'a' });
  assert.is(statSync(store.dir).mode & 0o777, 0o700);
});

test('checking a missing data dir without creating it leaves it missing', async () => {
  await prepareDataDir(store.dir, { create: false });
  assert.throws(() => statSync(store.dir), /ENOENT/);
});

// Only root can give a dir to another user; elsewhere this case cannot be set up.
if (process.getuid?.() === 0) {
  test("a data dir that is someone else's is refused, writable by others or not, and nothing is written there", async () => {
    mkdirSync(store.dir, { recursive: true });
    chmodSync(store.dir, 0o777);
    chownSync(store.dir, 65534, 65534);
    await store.create({ name: 'x' }).then(
      () => assert.unreachable('an account must not be written where others can replace it'),
      (error: Error) => {
        assert.instance(error, StoreError);
        assert.match(error.message, new RegExp(`data dir ${store.dir} belongs to another user \\(owner uid 65534, this process runs as uid 0\\)`));
      },
    );
    assert.equal(readdirSync(store.dir), []);
    assert.is(statSync(store.dir).mode & 0o777, 0o777, 'not ours to change');
    chmodSync(store.dir, 0o755);
    await store.create({ name: 'x' }).then(
      () => assert.unreachable('a dir its owner can write is not ours to trust'),
      (error: Error) => assert.match(error.message, new RegExp(`data dir ${store.dir} belongs to another user \\(owner uid 65534, this process runs as uid 0\\).*chown 0`)),
    );
    await assert_rejects(prepareDataDir(store.dir, { create: false }), /belongs to another user/);
    chownSync(store.dir, 0, 0);
    await store.create({ name: 'ok' }); // root's and writable by root only: fine
  });

  test('a store file another user owns is refused, even at mode 0600', async () => {
    await store.create({ name: 'a' });
    chownSync(store.path, 65534, 65534);
    await assert_rejects(store.read(), new RegExp(`service-account store ${store.path} belongs to another user \\(owner uid 65534`));
    await assert_rejects(new LiveKeyIndex(store).start(), /belongs to another user/);
  });
} else {
  console.log('account-store: skipped the foreign data dir case: it needs root to chown a dir');
}

async function assert_rejects(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await promise.then(
    () => assert.unreachable(`expected a refusal matching ${message}`),
    (error: Error) => {
      assert.instance(error, Error);
      assert.match(error.message, message);
    },
  );
}

test('a store file writable by its group or others is refused; a running server stops trusting it (fails closed)', async () => {
  const { apiKey } = await store.create({ name: 'owner' });
  const keys = await new LiveKeyIndex(store, { onError: () => {} }).start();
  keys.stop();
  assert.ok(keys.verify(apiKey).ok);
  // Someone in the file's group appends an account of their own.
  chmodSync(store.path, 0o660);
  const intruderKey = generateApiKey();
  const root = JSON.parse(readFileSync(store.path, 'utf8')) as { version: number; accounts: unknown[] };
  root.accounts.push({ id: 'f'.repeat(32), name: 'intruder', description: '', createdAt: '2026-01-02T03:04:05.000Z', keyHash: formatKeyHash(intruderKey) });
  writeFileSync(store.path, JSON.stringify(root));
  await keys.refresh();
  assert.equal(keys.verify(intruderKey), { ok: false, reason: 'unavailable' });
  assert.equal(keys.verify(apiKey), { ok: false, reason: 'unavailable' }, 'every key is refused until the store is safe again');
  await assert_rejects(store.read(), new RegExp(`service-account store ${store.path} is writable by its group or others \\(mode 0660\\).*chmod 600`));
  await assert_rejects(new LiveKeyIndex(store).start(), /is writable by its group or others/);
  chmodSync(store.path, 0o600);
  await keys.refresh();
  assert.ok(keys.verify(apiKey).ok);
});

test('a reader never sees a half-written store while it is being replaced', async () => {
  const path = join(dir, 'atomic.json');
  const version = (n: number) => JSON.stringify({ n, padding: 'x'.repeat(64 * 1024 + n) });
  await writeFileAtomic(path, version(0));
  let writing = true;
  const writer = (async () => {
    for (let n = 1; n <= 40; n++) await writeFileAtomic(path, version(n));
    writing = false;
  })();
  let reads = 0;
  while (writing) {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { n: number; padding: string };
    assert.is(parsed.padding.length, 64 * 1024 + parsed.n, 'a whole version');
    reads++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  await writer;
  assert.ok(reads > 0);
  assert.is(statSync(path).mode & 0o777, 0o600);
  assert.equal(readdirSync(dir).filter((name) => name.endsWith('.tmp')), []);
});

test('a temp file left by a crash mid-write does not disturb the store', async () => {
  await store.create({ name: 'kept' });
  writeFileSync(join(store.dir, `.${STORE_FILE}.4242.deadbeef.tmp`), '{"version":1,"accounts":[{"trunc');
  assert.equal((await store.list()).map((a) => a.name), ['kept']);
  await store.create({ name: 'next' });
  assert.is((await store.list()).length, 2);
});

const corrupt = (what: string, text: string, detail: RegExp) =>
  test(`a store that is ${what} is an error naming the file, and is left as it was`, async () => {
    mkdirSync(store.dir, { recursive: true });
    writeFileSync(store.path, text);
    for (const action of [() => store.list(), () => store.create({ name: 'x' })]) {
      await action().then(
        () => assert.unreachable('a corrupt store must not be used'),
        (error: unknown) => {
          assert.instance(error, StoreError);
          assert.ok((error as Error).message.includes(store.path), (error as Error).message);
          assert.match((error as Error).message, detail);
        },
      );
    }
    assert.is(readFileSync(store.path, 'utf8'), text, 'never reset');
  });

corrupt('not JSON', '{"version":1,"accounts":[', /not JSON/);
corrupt('empty', '', /not JSON/);
corrupt('of another version', '{"version":2,"accounts":[]}', /"version": 1/);
corrupt('missing its accounts', '{"version":1}', /"accounts" must be an array/);
corrupt('holding a bad hash', `{"version":1,"accounts":[{"id":"${'a'.repeat(32)}","name":"n","description":"","createdAt":"2026-01-01T00:00:00Z","keyHash":"md5:00"}]}`, /accounts\[0\]\.keyHash/);
corrupt(
  'holding a duplicated id',
  `{"version":1,"accounts":[${[1, 2].map(() => `{"id":"${'b'.repeat(32)}","name":"n","description":"","createdAt":"2026-01-01T00:00:00Z","keyHash":"sha256:${'0'.repeat(64)}"}`).join(',')}]}`,
  /appears twice/,
);

test('an unreadable store is an error naming the file', async () => {
  mkdirSync(store.path, { recursive: true }); // a directory where the file should be: EISDIR, even for root
  await store.list().then(
    () => assert.unreachable(),
    (error: Error) => assert.ok(error instanceof StoreError && error.message.startsWith(`cannot read service-account store ${store.path}`), error.message),
  );
});

test('names and descriptions are one line of bounded length', async () => {
  for (const input of [{ name: '' }, { name: '  ' }, { name: 'a\nb' }, { name: 'x'.repeat(129) }, { name: 'ok', description: 'tab\there' }]) {
    await store.create(input).then(
      () => assert.unreachable(JSON.stringify(input)),
      (error: Error) => assert.match(error.message, /^invalid service account (name|description)/),
    );
  }
});

test('parseStore accepts exactly what the store writes', async () => {
  await store.create({ name: 'round', description: 'trip "quoted" \\ back' });
  const parsed = parseStore(readFileSync(store.path, 'utf8'), store.path);
  assert.is(parsed[0]!.description, 'trip "quoted" \\ back');
});

test('the key index picks up new and deleted accounts from the real file within a bounded wait', async () => {
  const index = await new LiveKeyIndex(store).start();
  try {
    const { apiKey, account } = await new ServiceAccountStore(store.dir).create({ name: 'from-another-process' });
    await waitFor('the new key to verify', () => index.verify(apiKey).ok);
    const check = index.verify(apiKey);
    assert.is(check.ok && check.account.id, account.id);
    await store.delete(account.id);
    await waitFor('the deleted key to be refused', () => !index.verify(apiKey).ok);
    assert.equal(index.verify(apiKey), { ok: false, reason: 'unknown' });
  } finally {
    index.stop();
  }
});

test('a new or deleted account takes effect within a second: one poll of at most 500 ms picks it up', async () => {
  // The CLI promises "within a second": a poll interval of at most half that leaves the other half for
  // the reload, and each poll must see the change on its own (no second look needed).
  assert.ok(DEFAULT_POLL_MS <= 500, `DEFAULT_POLL_MS=${DEFAULT_POLL_MS}`);
  const index = new LiveKeyIndex(store);
  assert.is(index.pollMs, DEFAULT_POLL_MS, 'the default is what a server polls with');
  await index.refresh();
  const { apiKey, account } = await new ServiceAccountStore(store.dir).create({ name: 'from-another-process' });
  assert.is(await index.refresh(), true, 'one poll reloads the new file');
  assert.ok(index.verify(apiKey).ok);
  assert.is(await index.refresh(), false, 'an unchanged file is not read again');
  await new ServiceAccountStore(store.dir).delete(account.id);
  assert.is(await index.refresh(), true, 'one poll sees the deletion');
  assert.equal(index.verify(apiKey), { ok: false, reason: 'unknown' });
});

test('the key index refuses to start on a corrupt store, and fails closed if it turns corrupt later', async () => {
  const { apiKey } = await store.create({ name: 'a' });
  const errors: string[] = [];
  const index = await new LiveKeyIndex(store, { pollMs: 10, onError: (error) => errors.push(error.message) }).start();
  try {
    writeFileSync(store.path, 'garbage');
    await waitFor('the index to notice', () => !index.verify(apiKey).ok);
    assert.equal(index.verify(apiKey), { ok: false, reason: 'unavailable' });
    assert.is(errors.length, 1, 'reported once, not at every poll');
    assert.ok(errors[0]!.includes(store.path));
    await new LiveKeyIndex(store).start().then(
      () => assert.unreachable('must not start on a corrupt store'),
      (error: Error) => assert.instance(error, StoreError),
    );
    rmSync(store.path);
    await waitFor('the index to recover', () => {
      const check = index.verify(apiKey);
      return !check.ok && check.reason === 'unknown';
    });
  } finally {
    index.stop();
  }
});

test.run();
