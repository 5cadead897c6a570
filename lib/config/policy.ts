// policy.json (containers-policy.json(5)): which images may be pulled or loaded. pman honours the
// two requirements it can decide, insecureAcceptAnything and reject, per transport and scope (the
// most specific scope wins, then the transport's "" entry, then "default"). Requirements that need
// signatures checked (signedBy, sigstoreSigned, signedBaseLayer) cannot be verified by pman: an
// image they apply to is refused, never let through unchecked. No policy file: everything is
// accepted (as with Debian's default policy).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError } from '../errors.js';

export interface PolicyRequirement {
  type: string;
}

export interface Policy {
  file: string;
  default: PolicyRequirement[];
  transports: Record<string, Record<string, PolicyRequirement[]>>;
}

const KNOWN = ['insecureAcceptAnything', 'reject', 'signedBy', 'sigstoreSigned', 'signedBaseLayer'];

/** The policy file: --signature-policy, else the rootless user's ~/.config/containers/policy.json when it exists, else /etc's. */
export function policyPath(flag: string | undefined, env: NodeJS.ProcessEnv, rootless: boolean): string {
  if (flag) {
    // A file the user named must exist (only the standard one may be absent).
    if (!fs.existsSync(flag)) throw new InvalidArgumentError(`invalid --signature-policy "${flag}": no such file`);
    return path.resolve(flag);
  }
  if (rootless) {
    const configHome = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
    const user = path.join(configHome, 'containers', 'policy.json');
    if (fs.existsSync(user)) return user;
  }
  return '/etc/containers/policy.json';
}

function requirements(v: unknown, file: string, where: string): PolicyRequirement[] {
  if (!Array.isArray(v) || v.length === 0) throw new InvalidArgumentError(`invalid signature policy "${file}": ${where} must be a non-empty array of requirements`);
  for (const r of v) {
    const type = (r as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !KNOWN.includes(type)) {
      throw new InvalidArgumentError(`invalid signature policy "${file}": ${where} has a requirement of unknown type ${JSON.stringify(type)}: use one of ${KNOWN.join(', ')}`);
    }
  }
  return v as PolicyRequirement[];
}

export function parsePolicy(text: string, file: string): Policy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(`invalid signature policy "${file}": ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new InvalidArgumentError(`invalid signature policy "${file}": not a JSON object`);
  const d = doc as { default?: unknown; transports?: unknown };
  if (d.default === undefined) throw new InvalidArgumentError(`invalid signature policy "${file}": "default" is missing`);
  const policy: Policy = { file, default: requirements(d.default, file, '"default"'), transports: {} };
  if (d.transports !== undefined) {
    if (typeof d.transports !== 'object' || d.transports === null || Array.isArray(d.transports)) throw new InvalidArgumentError(`invalid signature policy "${file}": "transports" must be an object`);
    for (const [transport, scopes] of Object.entries(d.transports)) {
      if (typeof scopes !== 'object' || scopes === null || Array.isArray(scopes)) throw new InvalidArgumentError(`invalid signature policy "${file}": transports.${transport} must be an object of scopes`);
      policy.transports[transport] = {};
      for (const [scope, reqs] of Object.entries(scopes)) policy.transports[transport][scope] = requirements(reqs, file, `transports.${transport}["${scope}"]`);
    }
  }
  return policy;
}

/** The policy in the file, or undefined when there is no file (accept everything). */
export function loadPolicy(file: string): Policy | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InvalidArgumentError(`cannot read signature policy "${file}": ${(err as Error).message}`, { cause: err });
  }
  return parsePolicy(text, file);
}

/**
 * The scopes of a registry image, most specific first (containers-policy.json(5)):
 * host[:port]/repo:tag (or @digest), host/repo, each parent namespace, host, then the wildcards of the host's parent domains (*.example.com).
 */
export function dockerScopes(domain: string, repoPath: string, tag: string | undefined, digest: string | undefined): string[] {
  const repo = `${domain}/${repoPath}`;
  const out = [digest ? `${repo}@${digest}` : `${repo}:${tag ?? 'latest'}`];
  const parts = repo.split('/');
  for (let n = parts.length; n >= 1; n--) out.push(parts.slice(0, n).join('/'));
  const host = domain.split(':')[0];
  const labels = host.split('.');
  for (let i = 1; i < labels.length; i++) out.push(`*.${labels.slice(i).join('.')}`);
  return out;
}

/** The scopes of an image in a file or directory: its path, then each parent directory. */
export function pathScopes(file: string): string[] {
  const out: string[] = [];
  for (let p = path.resolve(file); ; p = path.dirname(p)) {
    out.push(p);
    if (p === path.dirname(p)) return out;
  }
}

/** Throws unless the policy accepts the image named `what` (transport, scopes most specific first). */
export function checkPolicy(policy: Policy | undefined, transport: string, scopes: string[], what: string): void {
  if (!policy) return;
  const table = policy.transports[transport] ?? {};
  const scope = scopes.find((s) => table[s] !== undefined) ?? (table[''] !== undefined ? '' : undefined);
  const reqs = scope !== undefined ? table[scope] : policy.default;
  const source = scope === undefined ? '"default"' : scope === '' ? `transports.${transport}[""]` : `transports.${transport}["${scope}"]`;
  for (const r of reqs) {
    if (r.type === 'reject') throw new InvalidArgumentError(`${what} is rejected by the signature policy "${policy.file}" (${source})`);
    if (r.type !== 'insecureAcceptAnything') {
      throw new InvalidArgumentError(`${what} needs a ${r.type} signature check by the signature policy "${policy.file}" (${source}), which pman cannot verify: change that requirement or use an image source whose policy is insecureAcceptAnything`);
    }
  }
}
