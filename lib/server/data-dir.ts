// Where omen keeps its state (the service-account store): --data-dir, else $OMEN_DATA_DIR, else .omen/
// in the working directory. Pure. Always: the result is an absolute path.
import { resolve } from 'node:path';

export const DEFAULT_DATA_DIR = '.omen';

export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  const chosen = flag ?? (env.OMEN_DATA_DIR !== undefined && env.OMEN_DATA_DIR !== '' ? env.OMEN_DATA_DIR : DEFAULT_DATA_DIR);
  return resolve(cwd, chosen);
}
