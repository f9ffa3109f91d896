// Throwaway certificates for the HTTPS specs, made by the `openssl` binary (node:crypto makes keys but not
// X.509 certificates): one CA, then server and client certificates it signs, each with a serial the spec
// chooses so a reload can be seen from the client side. EC P-256 keeps generation to a few milliseconds.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from './processes.js';

export const openssl = findOnPath('openssl');

export interface Pem {
  cert: string;
  key: string;
}

export class TestCa {
  readonly dir: string;
  readonly cert: string;
  readonly key: string;

  /** A self-signed CA in `dir`, named `name`. */
  constructor(dir: string, name = 'omen-spec-ca') {
    if (openssl === undefined) throw new Error('openssl is not on PATH');
    this.dir = dir;
    this.cert = join(dir, `${name}.crt`);
    this.key = join(dir, `${name}.key`);
    run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', this.key, '-out', this.cert, '-subj', `/CN=${name}`, '-days', '2']);
  }

  /** A server certificate for 127.0.0.1 and localhost with this serial (hex digits). */
  server(name: string, serialHex: string): Pem {
    return this.#issue(name, serialHex, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  }

  /** A client certificate for mutual TLS. */
  client(name: string, serialHex: string): Pem {
    return this.#issue(name, serialHex, 'extendedKeyUsage=clientAuth\n');
  }

  #issue(name: string, serialHex: string, extensions: string): Pem {
    const key = join(this.dir, `${name}.key`);
    const csr = join(this.dir, `${name}.csr`);
    const cert = join(this.dir, `${name}.crt`);
    const ext = join(this.dir, `${name}.ext`);
    writeFileSync(ext, extensions);
    run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}`]);
    run(['x509', '-req', '-in', csr, '-CA', this.cert, '-CAkey', this.key, '-set_serial', `0x${serialHex}`, '-days', '2', '-out', cert, '-extfile', ext]);
    return { cert, key };
  }
}

function run(args: string[]): void {
  execFileSync(openssl!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
