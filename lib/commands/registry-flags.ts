// Flags shared by the commands that talk to registries (pull, push, login, logout, and run/create
// when they pull), and their translation into RegistryOptions. The environment is read here, at
// the command layer, never in the registry logic.
import type { Argv } from 'yargs';
import { callerIds } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import type { Credentials } from '../registry/auth-file.js';
import { registryOptionsFromEnv, type RegistryOptions } from '../registry/options.js';
import { parsePullPolicy, type PullPolicy } from '../registry/ensure-image.js';
import { wantedPlatform, type WantedPlatform } from '../registry/platform.js';
import { progressFor } from '../registry/progress.js';
import type { PullOptions } from '../registry/pull.js';
import { last } from './argv.js';


export function registryFlags(y: Argv, opts: { creds: boolean } = { creds: true }): Argv {
  let out = y
    .option('authfile', { type: 'string', describe: 'Path of the authentication file (default ${XDG_RUNTIME_DIR}/containers/auth.json; env REGISTRY_AUTH_FILE)' })
    .option('cert-dir', { type: 'string', describe: 'Directory with CA (*.crt) and client certificates (*.cert, *.key) for the registry' })
    .option('tls-verify', { type: 'boolean', describe: 'Require HTTPS and verify certificates (default true; plain HTTP is used only for loopback registries)' });
  if (opts.creds) out = out.option('creds', { type: 'string', describe: 'Credentials USERNAME:PASSWORD for the registry' });
  return out;
}

/** --signature-policy (pull, run, create): the policy.json to enforce instead of the standard one. */
export function signaturePolicyFlag(y: Argv): Argv {
  return y.option('signature-policy', { type: 'string', describe: 'policy.json to enforce (default ~/.config/containers/policy.json for a rootless user if present, else /etc/containers/policy.json)' });
}

export function platformFlags(y: Argv): Argv {
  return y
    .option('platform', { type: 'string', describe: 'Platform OS/ARCH[/VARIANT] to choose from a manifest list (default: this machine)' })
    .option('arch', { type: 'string', describe: 'Architecture to choose from a manifest list, e.g. arm64' })
    .option('os', { type: 'string', describe: 'OS to choose from a manifest list (default linux)' })
    .option('variant', { type: 'string', describe: 'Architecture variant to choose, e.g. v7' });
}

export function parseCreds(text: string): Credentials {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw new InvalidArgumentError('invalid --creds: use --creds USERNAME:PASSWORD');
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

export function registryOptionsFrom(argv: Record<string, unknown>, env: NodeJS.ProcessEnv): RegistryOptions {
  const creds = last(argv.creds);
  const tls = argv['tls-verify'];
  const parallel = env.PMAN_PULL_PARALLEL ? Number(env.PMAN_PULL_PARALLEL) : undefined;
  return {
    ...registryOptionsFromEnv({
      env,
      // Rootless, the process is uid 0 of the user's namespace: the files are the user's.
      uid: callerIds(env).uid,
      authfile: last(argv.authfile),
      certDir: last(argv['cert-dir']),
      tlsVerify: typeof tls === 'boolean' ? tls : Array.isArray(tls) ? Boolean(tls[tls.length - 1]) : undefined,
      credentials: creds !== undefined ? parseCreds(creds) : undefined,
      signaturePolicy: last(argv['signature-policy']),
    }),
    ...(parallel && Number.isInteger(parallel) && parallel > 0 ? { parallel } : {}),
  };
}

export function platformFrom(argv: Record<string, unknown>): { platform: WantedPlatform; requested: boolean } {
  const flags = { platform: last(argv.platform), os: last(argv.os), arch: last(argv.arch), variant: last(argv.variant) };
  return { platform: wantedPlatform(flags), requested: Object.values(flags).some((v) => v !== undefined) };
}

/** run/create: the --pull policy and everything a pull needs. */
export function pullFlags(y: Argv): Argv {
  return signaturePolicyFlag(platformFlags(registryFlags(y)))
    .option('pull', { type: 'string', describe: 'Pull the image: missing (default), always, newer or never' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Do not print pull progress' });
}

export interface PullRequest {
  policy: PullPolicy;
  options: Omit<PullOptions, 'reference'>;
}

export function pullOptionsFrom(argv: Record<string, unknown>, env: NodeJS.ProcessEnv): { pull: PullRequest } {
  const { platform, requested } = platformFrom(argv);
  return {
    pull: {
      policy: parsePullPolicy(last(argv.pull)),
      options: { registry: registryOptionsFrom(argv, env), platform, platformRequested: requested, progress: progressFor(process.stderr, argv.quiet === true) },
    },
  };
}
