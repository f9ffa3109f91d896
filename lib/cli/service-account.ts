// `omen service-account create | list | delete`: manages the accounts whose API keys may call the
// Metrics API. A key is printed once, at create, and only its hash is stored; running servers pick up
// every change within a second. Exit 0 ok, 1 failure (e.g. unknown ID, corrupt store), 2 usage error.
import type { CliIO, Verb } from './verb.js';
import { parseArgs } from 'node:util';
import { ServiceAccountStore, StoreError } from '../server/account-store.js';
import { resolveDataDir } from '../server/data-dir.js';
import { UsageError } from './verb.js';

const usage = `Usage:
  omen service-account create --name NAME [--description TEXT] [--data-dir DIR]
  omen service-account list [--data-dir DIR]
  omen service-account delete ID [--data-dir DIR]

create prints the new API key once (it is not stored, only its SHA-256 hash) and the account ID.
list prints one account a line: ID, name, description, created (tab-separated); never a key.
--data-dir defaults to $OMEN_DATA_DIR, else ./.omen`;

export const verb: Verb = {
  summary: 'create, list or delete the service accounts whose API keys may scrape',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const [action, ...rest] = args;
    const { values, positionals } = parseFlags(rest);
    const store = new ServiceAccountStore(resolveDataDir(values['data-dir'], io.env, io.cwd));
    try {
      switch (action) {
        case 'create':
          return await create(store, values, positionals, io);
        case 'list':
          return await list(store, positionals, io);
        case 'delete':
          return await remove(store, positionals, io);
        default:
          throw new UsageError(action === undefined ? 'missing action: create, list or delete' : `unknown action ${JSON.stringify(action)}: use create, list or delete`);
      }
    } catch (error: unknown) {
      if (!(error instanceof StoreError)) throw error;
      io.err(`omen service-account: ${error.message}`);
      return 1;
    }
  },
};

type Flags = ReturnType<typeof parseFlags>['values'];

async function create(store: ServiceAccountStore, values: Flags, positionals: string[], io: CliIO): Promise<number> {
  if (positionals.length > 0) throw new UsageError(`create takes no arguments besides its options, got ${JSON.stringify(positionals[0])}`);
  if (values.name === undefined) throw new UsageError('create needs --name NAME');
  const { account, apiKey } = await store.create({ name: values.name, description: values.description ?? '' });
  io.out(
    [
      `Service account "${account.name}" created.`,
      `API Key: ${apiKey}`,
      `Service Account ID: ${account.id}`,
      'Save the API key now: it will not be shown again (only its SHA-256 hash is stored).',
      `Use it as: Authorization: Tecton-key <API key>`,
    ].join('\n'),
  );
  return 0;
}

async function list(store: ServiceAccountStore, positionals: string[], io: CliIO): Promise<number> {
  if (positionals.length > 0) throw new UsageError(`list takes no arguments, got ${JSON.stringify(positionals[0])}`);
  const accounts = await store.list();
  if (accounts.length === 0) {
    io.err(`no service accounts in ${store.path}`);
    return 0;
  }
  io.out(accounts.map((a) => [a.id, a.name, a.description, a.createdAt].join('\t')).join('\n'));
  return 0;
}

async function remove(store: ServiceAccountStore, positionals: string[], io: CliIO): Promise<number> {
  const [id, extra] = positionals;
  if (id === undefined || extra !== undefined) throw new UsageError('delete takes exactly one service account ID');
  const removed = await store.delete(id);
  if (removed === undefined) {
    io.err(`omen service-account: no service account with ID ${id} in ${store.path}; see "omen service-account list"`);
    return 1;
  }
  io.out(`Deleted service account ${removed.id} ("${removed.name}"); its API key stops working within a second.`);
  return 0;
}

function parseFlags(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        description: { type: 'string' },
        'data-dir': { type: 'string' },
      },
    });
  } catch (error: unknown) {
    throw new UsageError((error as Error).message);
  }
}
