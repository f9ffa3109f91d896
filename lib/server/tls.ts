// HTTPS for the Metrics API: PEM files read into a secure context, and a watcher that swaps in renewed files
// without a restart. A check is one stat() per file per interval; a reload reads and parses the PEMs once.
// Always: a reload that fails (unreadable file, bad PEM, a key that does not match the certificate) leaves
// the certificate in service untouched and says why; connections already open keep the context they started on.
import type { SecureContextOptions } from 'node:tls';
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import { createSecureContext } from 'node:tls';

/** The file paths `omen serve` takes. */
export interface TlsFiles {
  /** PEM certificate, optionally followed by its chain. */
  certFile: string;
  keyFile: string;
  /** PEM CA bundle: when given, clients must present a certificate it signed (mutual TLS). */
  clientCaFile?: string | undefined;
}

/** What the server hands Node: the PEM bytes. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer | undefined;
}

/** TLS 1.0 and 1.1 are refused: both are deprecated (RFC 8996). */
export const TLS_MIN_VERSION = 'TLSv1.2';

/** How often the watcher stats the files; renewals arrive by rename, which fs.watch misses on some filesystems. */
export const DEFAULT_TLS_POLL_MS = 1_000;

/**
 * Reads and checks the files now: a certificate and key that do not parse or do not match throw here, naming
 * the file and the reason, so a server never starts (or switches) on material it cannot serve.
 */
export function loadTlsMaterial(files: TlsFiles): TlsMaterial {
  const material: TlsMaterial = { cert: readPem(files.certFile, '--tls-cert'), key: readPem(files.keyFile, '--tls-key') };
  if (files.clientCaFile !== undefined) material.ca = readPem(files.clientCaFile, '--tls-client-ca');
  try {
    createSecureContext(secureContextOptions(material));
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot use --tls-cert ${JSON.stringify(files.certFile)} with --tls-key ${JSON.stringify(files.keyFile)}: ${reason}`);
  }
  return material;
}

export function secureContextOptions(material: TlsMaterial): SecureContextOptions {
  const options: SecureContextOptions = { cert: material.cert, key: material.key, minVersion: TLS_MIN_VERSION };
  if (material.ca !== undefined) options.ca = material.ca;
  return options;
}

export interface CertificateWatcherOptions {
  pollMs?: number;
  /** Called with checked material after the files changed. */
  onReload: (material: TlsMaterial) => void;
  /** One line for each reload that failed; the old certificate stays in service. */
  onError: (message: string) => void;
}

/**
 * Watches the certificate, key and CA files; after any of them changes (and SIGHUP, via reload()) the set is
 * read again. Renewals that write the files one at a time pass through a moment where the key does not match
 * the certificate; that reload fails, and the next change event (the second file landing) succeeds.
 */
export class CertificateWatcher {
  readonly #files: TlsFiles;
  readonly #options: CertificateWatcherOptions;
  readonly #paths: string[];
  #settle: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(files: TlsFiles, options: CertificateWatcherOptions) {
    this.#files = files;
    this.#options = options;
    this.#paths = [files.certFile, files.keyFile, ...(files.clientCaFile === undefined ? [] : [files.clientCaFile])];
    const interval = options.pollMs ?? DEFAULT_TLS_POLL_MS;
    for (const path of this.#paths) watchFile(path, { interval, persistent: false }, (now, before) => this.#changed(now, before));
  }

  /** Reads the files now; true when the new material went into service. */
  reload(): boolean {
    let material: TlsMaterial;
    try {
      material = loadTlsMaterial(this.#files);
    } catch (error: unknown) {
      this.#options.onError(`TLS reload failed, still serving the previous certificate: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
    this.#options.onReload(material);
    return true;
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#settle);
    for (const path of this.#paths) unwatchFile(path);
  }

  #changed(now: Stats, before: Stats): void {
    if (this.#stopped || (now.mtimeMs === before.mtimeMs && now.ino === before.ino && now.size === before.size)) return;
    // Several files usually change within one renewal: wait a moment so one reload sees all of them.
    clearTimeout(this.#settle);
    this.#settle = setTimeout(() => this.reload(), 100);
    this.#settle.unref();
  }
}

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error: unknown) {
    const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new Error(`cannot read ${flag} ${JSON.stringify(path)}: ${code}`);
  }
}
