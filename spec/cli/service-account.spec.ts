import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../lib/cli.js';
import { hashApiKey } from '../../lib/server/api-key.js';
import type { CliIO } from '../../lib/cli/verb.js';

let cwd: string;

test.before.each(() => {
  cwd = mkdtempSync(join(tmpdir(), 'omen-cli-'));
});

test.after.each(() => rmSync(cwd, { recursive: true, force: true }));

async function omen(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), stdin: Readable.from([]), env, cwd };
  const code = await main(['service-account', ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const created = (out: string) => ({
  key: /^API Key: (\S+)$/m.exec(out)?.[1],
  id: /^Service Account ID: ([0-9a-f]{32})$/m.exec(out)?.[1],
});

test('create prints the key and ID once, warns it will not be shown again, and stores only the hash', async () => {
  const { code, out } = await omen(['create', '--name', 'prometheus', '--description', 'central scraper']);
  assert.is(code, 0);
  const { key, id } = created(out);
  assert.ok(key && id, out);
  assert.match(out, /will not be shown again/);
  const file = readFileSync(join(cwd, '.omen', 'service-accounts.json'), 'utf8');
  assert.not.ok(file.includes(key!));
  assert.ok(file.includes(hashApiKey(key!).toString('hex')));
  assert.is(statSync(join(cwd, '.omen', 'service-accounts.json')).mode & 0o777, 0o600);
});

test('list prints one account a line with ID, name, description and created, never a key', async () => {
  const a = created((await omen(['create', '--name', 'a', '--description', 'first'])).out);
  const b = created((await omen(['create', '--name', 'b'])).out);
  const { code, out } = await omen(['list']);
  assert.is(code, 0);
  const lines = out.split('\n');
  assert.is(lines.length, 2);
  const [id, name, description, createdAt] = lines[0]!.split('\t');
  assert.equal([id, name, description], [a.id, 'a', 'first']);
  assert.ok(!Number.isNaN(Date.parse(createdAt!)));
  assert.ok(lines[1]!.startsWith(`${b.id}\tb\t\t`));
  for (const key of [a.key!, b.key!]) assert.not.ok(out.includes(key));
  assert.not.ok(out.includes('sha256'));
});

test('list on an empty store says so and succeeds', async () => {
  const { code, out, err } = await omen(['list']);
  assert.is(code, 0);
  assert.is(out, '');
  assert.match(err, /no service accounts in .*service-accounts\.json/);
});

test('delete removes the account; an unknown ID fails with exit 1', async () => {
  const { id } = created((await omen(['create', '--name', 'gone'])).out);
  assert.is((await omen(['delete', id!])).code, 0);
  assert.is((await omen(['list'])).out, '');
  const again = await omen(['delete', id!]);
  assert.is(again.code, 1);
  assert.match(again.err, new RegExp(`no service account with ID ${id}`));
});

test('--data-dir and OMEN_DATA_DIR choose the store, the flag first', async () => {
  await omen(['create', '--name', 'by-env'], { OMEN_DATA_DIR: 'env-dir' });
  await omen(['create', '--name', 'by-flag', '--data-dir', 'flag-dir'], { OMEN_DATA_DIR: 'env-dir' });
  assert.match((await omen(['list'], { OMEN_DATA_DIR: join(cwd, 'env-dir') })).out, /\tby-env\t/);
  assert.match((await omen(['list', '--data-dir', 'flag-dir'])).out, /\tby-flag\t/);
  assert.is((await omen(['list'])).out, '', 'the default .omen is untouched');
});

test('a corrupt store is exit 1 with the file named, and is not reset', async () => {
  mkdirSync(join(cwd, '.omen'));
  writeFileSync(join(cwd, '.omen', 'service-accounts.json'), '{"accounts": oops');
  for (const args of [['list'], ['create', '--name', 'x']]) {
    const { code, err } = await omen(args);
    assert.is(code, 1);
    assert.ok(err.includes(join(cwd, '.omen', 'service-accounts.json')), err);
  }
  assert.is(readFileSync(join(cwd, '.omen', 'service-accounts.json'), 'utf8'), '{"accounts": oops');
});

const usage = (args: string[], message: RegExp) =>
  test(`usage error (exit 2): ${args.join(' ') || '(no action)'}`, async () => {
    const { code, err } = await omen(args);
    assert.is(code, 2);
    assert.match(err, message);
  });

usage([], /missing action/);
usage(['rename'], /unknown action "rename"/);
usage(['create'], /create needs --name NAME/);
usage(['create', '--name'], /--name/);
usage(['create', '--name', 'x', '--colour', 'red'], /Unknown option '--colour'/);
usage(['delete'], /exactly one service account ID/);
usage(['delete', 'a', 'b'], /exactly one service account ID/);
usage(['list', 'extra'], /list takes no arguments/);

test('an invalid name is a failure naming the rule', async () => {
  const { code, err } = await omen(['create', '--name', 'x'.repeat(200)]);
  assert.is(code, 1);
  assert.match(err, /invalid service account name .*1 to 128 characters/);
});

test.run();
