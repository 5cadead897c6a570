// --secret of create/run, podman's syntax: `NAME[,type=mount|env][,target=T][,uid=N][,gid=N][,mode=N]`
// (or `source=NAME,…`). A mount secret is a read-only file at /run/secrets/TARGET (TARGET
// defaults to the name; an absolute TARGET is used as is); an env secret is the variable TARGET
// (default: the name). uid, gid and mode apply to mount secrets only.
import path from 'node:path';
import { InvalidArgumentError } from '../../errors.js';
import type { SecretRef } from '../../state/secret-ref-schema.js';

export const SECRETS_DIR = '/run/secrets';

export interface SecretRequest extends Omit<SecretRef, 'id' | 'name'> {
  /** The secret as given: name, ID or ID prefix (resolved at create). */
  source: string;
}

function number(spec: string, key: string, value: string, octal: boolean): number {
  const ok = octal ? /^[0-7]{1,4}$/.test(value) : /^[0-9]+$/.test(value);
  if (!ok) throw new InvalidArgumentError(`invalid --secret "${spec}": ${key}=${value} must be ${octal ? 'an octal mode like 0400' : 'a whole number'}`);
  return octal ? parseInt(value, 8) : Number(value);
}

export function parseSecretFlag(spec: string): SecretRequest {
  const [first, ...rest] = spec.split(',');
  const opts = new Map<string, string>();
  let source: string | undefined;
  for (const [i, part] of [first, ...rest].entries()) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (i === 0) source = part;
      else throw new InvalidArgumentError(`invalid --secret "${spec}": "${part}" is not KEY=VALUE`);
      continue;
    }
    const key = part.slice(0, eq);
    if (!['source', 'type', 'target', 'uid', 'gid', 'mode'].includes(key)) {
      throw new InvalidArgumentError(`invalid --secret "${spec}": unknown option "${key}" (use type, target, uid, gid, mode)`);
    }
    if (key === 'source') source = part.slice(eq + 1);
    else opts.set(key, part.slice(eq + 1));
  }
  if (!source) throw new InvalidArgumentError(`invalid --secret "${spec}": name the secret, e.g. --secret mysecret,type=env`);
  const type = opts.get('type') ?? 'mount';
  if (type !== 'mount' && type !== 'env') throw new InvalidArgumentError(`invalid --secret "${spec}": type must be mount or env`);
  const target = opts.get('target') ?? source;
  if (type === 'env') {
    for (const k of ['uid', 'gid', 'mode']) if (opts.has(k)) throw new InvalidArgumentError(`invalid --secret "${spec}": ${k} applies to type=mount only`);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(target)) throw new InvalidArgumentError(`invalid --secret "${spec}": "${target}" is not a valid environment variable name`);
    return { source, type, target };
  }
  const file = path.posix.normalize(path.posix.isAbsolute(target) ? target : path.posix.join(SECRETS_DIR, target));
  if (!file.startsWith('/') || file === '/' || file.endsWith('/') || target.split('/').includes('..')) {
    throw new InvalidArgumentError(`invalid --secret "${spec}": target "${target}" must name a file (a name under ${SECRETS_DIR} or an absolute path)`);
  }
  const req: SecretRequest = { source, type, target: file, uid: 0, gid: 0, mode: 0o444 };
  if (opts.has('uid')) req.uid = number(spec, 'uid', opts.get('uid')!, false);
  if (opts.has('gid')) req.gid = number(spec, 'gid', opts.get('gid')!, false);
  if (opts.has('mode')) req.mode = number(spec, 'mode', opts.get('mode')!, true);
  return req;
}

/** All --secret flags; two secrets for one file or variable are refused. */
export function parseSecretFlags(specs: string[]): SecretRequest[] {
  const reqs = specs.map(parseSecretFlag);
  const seen = new Set<string>();
  for (const r of reqs) {
    const key = `${r.type}:${r.target}`;
    if (seen.has(key)) throw new InvalidArgumentError(`--secret: two secrets for the same ${r.type === 'env' ? 'variable' : 'file'} "${r.target}"`);
    seen.add(key);
  }
  return reqs;
}
