// TLS settings for one registry host: Node's CAs plus the system bundle, plus the registry's own
// certificate directory (containers-certs.d(5)): *.crt are CAs, *.cert with the matching *.key a
// client certificate. --cert-dir replaces the per-host lookup.
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { InvalidArgumentError } from '../errors.js';
import type { RegistryOptions } from './options.js';

export interface TlsSettings {
  verify: boolean;
  ca?: string[];
  cert?: Buffer;
  key?: Buffer;
  /** A stable description for agent caching. */
  id: string;
}

let systemCas: string[] | undefined;

/**
 * Node's CAs, the system bundle and NODE_EXTRA_CA_CERTS (an explicit `ca` list replaces Node's
 * default store, extra certificates included, and bin/pman keeps Node from loading that file at
 * start-up anyway: it is read here, when a registry is first contacted).
 */
function systemBundle(file: string | undefined, extraFile = process.env.NODE_EXTRA_CA_CERTS): string[] {
  if (systemCas === undefined) {
    systemCas = [...tls.rootCertificates];
    for (const f of new Set([file, extraFile])) {
      if (!f) continue;
      try {
        systemCas.push(fs.readFileSync(f, 'utf8'));
      } catch {
        /* not there: the other CAs only (as Node does with a missing NODE_EXTRA_CA_CERTS) */
      }
    }
  }
  return systemCas;
}

function certDirFor(opts: RegistryOptions, host: string): string | undefined {
  if (opts.certDir !== undefined) {
    if (!fs.existsSync(opts.certDir)) throw new InvalidArgumentError(`cannot use --cert-dir "${opts.certDir}": no such directory`);
    return opts.certDir;
  }
  for (const base of opts.certsDirs) {
    const dir = path.join(base, host);
    if (fs.existsSync(dir)) return dir;
  }
  return undefined;
}

export function tlsSettingsFor(opts: RegistryOptions, host: string, verify: boolean): TlsSettings {
  const dir = certDirFor(opts, host);
  if (dir === undefined) return { verify, ca: systemBundle(opts.systemCaFile), id: `${verify}` };
  let files: string[];
  try {
    files = fs.readdirSync(dir).sort();
  } catch (err) {
    throw new InvalidArgumentError(`cannot read the certificate directory "${dir}": ${(err as Error).message}`, { cause: err });
  }
  const extra: string[] = [];
  let cert: Buffer | undefined;
  let key: Buffer | undefined;
  for (const f of files) {
    const p = path.join(dir, f);
    if (f.endsWith('.crt')) extra.push(fs.readFileSync(p, 'utf8'));
    else if (f.endsWith('.cert')) {
      const keyFile = p.replace(/\.cert$/, '.key');
      if (!fs.existsSync(keyFile)) throw new InvalidArgumentError(`client certificate "${p}" has no matching key "${keyFile}"`);
      cert = fs.readFileSync(p);
      key = fs.readFileSync(keyFile);
    } else if (f.endsWith('.key') && !fs.existsSync(p.replace(/\.key$/, '.cert'))) {
      throw new InvalidArgumentError(`client key "${p}" has no matching certificate "${p.replace(/\.key$/, '.cert')}"`);
    }
  }
  const ca = [...systemBundle(opts.systemCaFile), ...extra];
  return { verify, ca, cert, key, id: `${verify}:${dir}` };
}
