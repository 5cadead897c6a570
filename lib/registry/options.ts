// Everything a registry operation needs to know from outside: where credentials, registries.conf
// and certificates live, and the user's TLS and credential flags. Built by the command layer from
// flags and the environment (registryOptionsFrom), so the logic never reads process.env.
import os from 'node:os';
import path from 'node:path';
import type { Credentials } from './auth-file.js';
import type { RegistriesConfPaths } from './registries-conf.js';
import { policyPath } from '../config/policy.js';
import { proxySettingsFromEnv, type ProxySettings } from './proxy-settings.js';

export interface RegistryOptions {
  /** The auth.json that login writes and pull/push read first. */
  authFile: string;
  /** Also read, in order, when no credentials are in authFile (empty with --authfile/REGISTRY_AUTH_FILE). */
  authFallbacks: string[];
  registriesConf: RegistriesConfPaths;
  /** --cert-dir: CA (*.crt) and client certificate (*.cert + *.key) files for every registry. */
  certDir?: string;
  /** Directories holding one HOST[:PORT] subdirectory of such files per registry. */
  certsDirs: string[];
  /** PEM bundle of the system's CAs (trusted in addition to Node's own). */
  systemCaFile?: string;
  /** --tls-verify: undefined = verify, plain HTTP only for loopback and insecure registries. */
  tlsVerify?: boolean;
  /** --creds: used instead of any stored credentials. */
  credentials?: Credentials;
  /** policy.json: --signature-policy, else the standard file (lib/config/policy.ts); read only by pull. */
  signaturePolicy: string;
  /** HTTP(S)_PROXY and NO_PROXY from the environment; undefined when no proxy is set. */
  proxy?: ProxySettings;
  /** Concurrent blob transfers. */
  parallel?: number;
}

export interface RegistryEnvInput {
  env: NodeJS.ProcessEnv;
  uid: number;
  authfile?: string;
  certDir?: string;
  tlsVerify?: boolean;
  credentials?: Credentials;
  /** --signature-policy */
  signaturePolicy?: string;
}

/** The standard locations (containers-auth.json(5), containers-registries.conf(5), containers-certs.d(5)). */
export function registryOptionsFromEnv(input: RegistryEnvInput): RegistryOptions {
  const { env, uid } = input;
  const home = env.HOME || os.homedir();
  const configHome = env.XDG_CONFIG_HOME || path.join(home, '.config');
  const explicit = input.authfile || env.REGISTRY_AUTH_FILE;
  const authFile = explicit
    ? path.resolve(explicit)
    : env.XDG_RUNTIME_DIR
      ? path.join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json')
      : `/run/containers/${uid}/auth.json`;
  const authFallbacks = explicit
    ? []
    : [
        path.join(configHome, 'containers', 'auth.json'),
        env.DOCKER_CONFIG ? path.join(env.DOCKER_CONFIG, 'config.json') : path.join(home, '.docker', 'config.json'),
      ];
  const confOverride = env.CONTAINERS_REGISTRIES_CONF;
  const registriesConf: RegistriesConfPaths = confOverride
    ? { main: [confOverride], dropInDirs: [], override: env.PMAN_REGISTRIES_CONF }
    : {
        main: [path.join(configHome, 'containers', 'registries.conf'), '/etc/containers/registries.conf'],
        dropInDirs: ['/etc/containers/registries.conf.d', path.join(configHome, 'containers', 'registries.conf.d')],
        override: env.PMAN_REGISTRIES_CONF ?? (uid === 0 ? '/etc/pman/registries.conf' : path.join(configHome, 'pman', 'registries.conf')),
      };
  const certsDirs = [
    ...(uid !== 0 ? [path.join(configHome, 'containers', 'certs.d')] : []),
    '/etc/containers/certs.d',
    '/etc/docker/certs.d',
  ];
  return {
    authFile,
    authFallbacks,
    registriesConf,
    certDir: input.certDir,
    certsDirs,
    systemCaFile: env.SSL_CERT_FILE || '/etc/ssl/certs/ca-certificates.crt',
    tlsVerify: input.tlsVerify,
    credentials: input.credentials,
    signaturePolicy: policyPath(input.signaturePolicy, env, uid !== 0),
    proxy: proxySettingsFromEnv(env),
  };
}

/** Loopback registries may be spoken to over plain HTTP (as podman and docker allow). */
export function isLoopbackHost(hostPort: string): boolean {
  const host = hostPort.startsWith('[') ? hostPort.slice(1, hostPort.indexOf(']')) : hostPort.split(':')[0];
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
