/**
 * Certificates for TLS tests, made with `openssl` in a temporary directory: a CA, a server
 * certificate for 127.0.0.1 and a client certificate, both signed by it. `removeCerts` deletes
 * the directory.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Certs {
  readonly dir: string;
  readonly caFile: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes a CA and two certificates it signs (EC P-256 keys: quick to make). */
export function makeCerts(): Certs {
  const dir = mkdtempSync(join(tmpdir(), 'ts-otp-certs-'));
  const key = (name: string): void => openssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`);
  key('ca');
  openssl(dir, 'req', '-x509', '-new', '-key', 'ca.key', '-days', '2', '-subj', '/CN=ts-otp test CA', '-out', 'ca.pem');
  for (const [name, ext] of [
    ['server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    key(name);
    openssl(dir, 'req', '-new', '-key', `${name}.key`, '-subj', `/CN=ts-otp test ${name}`, '-out', `${name}.csr`);
    writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
    openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
  }
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
  };
}

export function removeCerts(certs: Certs): void {
  rmSync(certs.dir, { recursive: true, force: true });
}
