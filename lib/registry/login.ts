// `pman login` / `pman logout`: credentials checked against the registry first (GET /v2/ with
// Basic, or a token request for bearer registries), then written to the auth.json (0600).
// Logout removes one entry or all of them. Nothing here ever prints or logs a secret.
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { hasCredentials, normalizeAuthKey, removeAllCredentials, removeCredentials, storeCredentials, type Credentials } from './auth-file.js';
import { RegistryClient } from './client.js';
import type { RegistryOptions } from './options.js';
import { loadRegistriesConf } from './registries-conf.js';

/** "https://Host:5000/v2/" -> "host:5000"; a key with a repository path keeps it. */
export function loginKey(registry: string): string {
  const key = normalizeAuthKey(registry);
  const host = key.split('/')[0];
  if (!host || !/^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d+)?$/.test(host)) throw new InvalidArgumentError(`invalid registry "${registry}": give HOST[:PORT][/REPOSITORY]`);
  return key;
}

export interface LoginOptions {
  registry: string;
  credentials: Credentials;
  registryOptions: RegistryOptions;
}

export async function login(ctx: Context, o: LoginOptions): Promise<{ key: string; file: string }> {
  const key = loginKey(o.registry);
  const host = key.split('/')[0];
  const conf = loadRegistriesConf(o.registryOptions.registriesConf);
  const client = new RegistryClient(ctx, host, { ...o.registryOptions, credentials: o.credentials }, conf, key);
  await client.checkCredentials();
  storeCredentials(o.registryOptions.authFile, key, o.credentials);
  return { key, file: o.registryOptions.authFile };
}

export function logout(o: { registry?: string; all: boolean; registryOptions: RegistryOptions }): { key?: string; file: string } {
  const file = o.registryOptions.authFile;
  if (o.all) {
    removeAllCredentials(file);
    return { file };
  }
  if (o.registry === undefined) throw new InvalidArgumentError('a registry is required: pman logout REGISTRY, or --all');
  const key = loginKey(o.registry);
  if (removeCredentials(file, key)) return { key, file };
  const elsewhere = o.registryOptions.authFallbacks.find((f) => hasCredentials(f, key));
  if (elsewhere) {
    throw new NotFoundError(`not logged into ${key} with pman: the credentials in use are in "${elsewhere}"; remove them with the tool that stored them`);
  }
  throw new NotFoundError(`not logged into ${key}`);
}
