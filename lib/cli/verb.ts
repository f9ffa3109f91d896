// The contract every `omen` sub-command implements, so each verb lives in its own file and the
// dispatcher in lib/cli.ts only maps names to modules. Exit codes: 0 ok, 1 failure, 2 usage error.

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Verb {
  /** One line for `omen --help`. */
  summary: string;
  /** The verb's own usage text, printed on `omen VERB --help` and on usage errors. */
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The process-backed IO the real binary uses; specs pass their own. */
export function processIO(): CliIO {
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}
