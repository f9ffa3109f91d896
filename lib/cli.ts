#!/usr/bin/env node
// `omen` command line: maps a verb to its module in lib/cli/ and turns thrown usage errors into exit 2.
// Verbs load lazily, so `omen lint` never pays for the server's modules.
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError, processIO, type CliIO, type Verb } from './cli/verb.js';

const VERB_MODULES: Record<string, string> = {
  serve: './cli/serve.js',
  'service-account': './cli/service-account.js',
  lint: './cli/lint.js',
  scrape: './cli/scrape.js',
  push: './cli/push.js',
  catalog: './cli/catalog.js',
};

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [verbName, ...rest] = argv;
  if (verbName === undefined || verbName === '--help' || verbName === '-h' || verbName === 'help') {
    io.out(await topLevelHelp());
    return verbName === undefined ? 2 : 0;
  }
  if (verbName === '--version' || verbName === '-v' || verbName === '-V') {
    io.out(packageVersion());
    return 0;
  }
  const verb = await loadVerb(verbName);
  if (verb === undefined) {
    io.err(`omen: unknown command "${verbName}"; run "omen --help" for the list`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(verb.usage);
    return 0;
  }
  try {
    return await verb.run(rest, io);
  } catch (error: unknown) {
    if (error instanceof UsageError) {
      io.err(`omen ${verbName}: ${error.message}`);
      io.err(verb.usage);
      return 2;
    }
    io.err(`omen ${verbName}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function loadVerb(name: string): Promise<Verb | undefined> {
  const path = Object.hasOwn(VERB_MODULES, name) ? VERB_MODULES[name] : undefined;
  if (path === undefined) return undefined;
  const module = (await import(path)) as { verb: Verb };
  return module.verb;
}

async function topLevelHelp(): Promise<string> {
  const lines = [`omen ${packageVersion()}: OpenMetrics engine and Metrics API server`, '', 'Usage: omen <command> [options]', ''];
  for (const name of Object.keys(VERB_MODULES)) {
    const verb = await loadVerb(name).catch(() => undefined);
    lines.push(`  ${name.padEnd(17)} ${verb?.summary ?? '(not available in this build)'}`);
  }
  lines.push('', 'Run "omen <command> --help" for a command\'s options.');
  return lines.join('\n');
}

function packageVersion(): string {
  const path = fileURLToPath(new URL('../../package.json', import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

// Run only as the binary (npm links it, hence realpath), not when a spec imports main().
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2), processIO());
}
