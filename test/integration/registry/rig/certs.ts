// Test PKI made with openssl: a CA, a server certificate for 127.0.0.1 signed by it (for the TLS
// registry), and a self-signed signing certificate for the token server's JWTs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TestPki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });

export function makePki(dir: string): TestPki {
  fs.mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=pman test CA', '-keyout', 'ca.key', '-out', 'ca.crt', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr'], dir);
  fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'ext.cnf', '-out', 'server.crt'], dir);
  return { dir, caCert: path.join(dir, 'ca.crt'), serverCert: path.join(dir, 'server.crt'), serverKey: path.join(dir, 'server.key') };
}

/** A key and self-signed certificate for signing tokens (the registry trusts the certificate). */
export function makeSigningCert(dir: string): { key: string; cert: string } {
  fs.mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=pman test token signer', '-keyout', 'token.key', '-out', 'token.crt'], dir);
  return { key: path.join(dir, 'token.key'), cert: path.join(dir, 'token.crt') };
}

/** An htpasswd line with a bcrypt hash (docker-registry accepts only bcrypt), made by python3's crypt. */
export function htpasswdLine(user: string, password: string): string {
  const script = 'import crypt,sys\nprint(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))';
  const hash = execFileSync('python3', ['-W', 'ignore', '-c', script, password], { stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
  if (!hash.startsWith('$2')) throw new Error(`python3 crypt did not make a bcrypt hash: ${hash}`);
  return `${user}:${hash}`;
}
