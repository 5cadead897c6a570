// Flags shared by `run` and `create`, and their translation into CreateOptions.
import type { Argv } from 'yargs';
import { InvalidArgumentError } from '../errors.js';
import type { CreateOptions } from '../container/create.js';
import type { Context } from '../context.js';
import { pullFlags, pullOptionsFrom } from './registry-flags.js';
import { configFlags } from './create-config-flags.js';
import { configOptionsFrom } from './create-config-options.js';
import { commandLine, last, list } from './argv.js';
import { extrasOptionsFrom, podmanRunFlags } from './create-podman-flags.js';
import { podConfSysctls, withContainersConf } from './containers-conf.js';
import { checkPodUsernsEnv } from '../container/userns-default.js';
import { readPodIdFile } from '../pod/id-file.js';

export function createFlags(y: Argv): Argv {
  return podmanRunFlags(configFlags(pullFlags(y)))
    .option('name', { type: 'string', describe: 'Assign a name to the container' })
    .option('env', { alias: 'e', type: 'string', describe: 'Set environment variables (KEY=VALUE or KEY)' })
    .option('env-file', { type: 'string', describe: 'Read environment variables from a file' })
    .option('workdir', { alias: 'w', type: 'string', describe: 'Working directory inside the container' })
    .option('entrypoint', { type: 'string', describe: 'Overwrite the image ENTRYPOINT (string or JSON array)' })
    .option('user', { alias: 'u', type: 'string', describe: 'Username or UID[:GID] to run as' })
    .option('hostname', { alias: 'h', type: 'string', describe: 'Container host name' })
    .option('label', { alias: 'l', type: 'string', describe: 'Set metadata labels (KEY=VALUE)' })
    .option('rm', { type: 'boolean', default: false, describe: 'Remove the container when it exits' })
    .option('interactive', { alias: 'i', type: 'boolean', default: false, describe: 'Keep STDIN open' })
    .option('tty', { alias: 't', type: 'boolean', default: false, describe: 'Allocate a pseudo-TTY' })
    .option('log-driver', { type: 'string', describe: 'Logging driver: k8s-file (the default), json-file or none' })
    .option('log-opt', { type: 'string', describe: 'Logging driver options: max-size=SIZE, max-file=N, path=FILE, tag=TAG' })
    .option('stop-signal', { type: 'string', describe: 'Signal to stop the container' })
    .option('stop-timeout', { type: 'number', describe: 'Seconds to wait before killing the container on stop' })
    .option('pod', { type: 'string', describe: 'Run the container in this pod (NAME or ID; new:NAME creates it)' })
    .option('pod-id-file', { type: 'string', describe: 'Run the container in the pod whose ID this file holds (as written by pod create --pod-id-file)' })
    .option('http-proxy', { type: 'boolean', default: true, describe: "Pass pman's proxy variables (http_proxy, https_proxy, ftp_proxy, no_proxy, either case) into the container" })
    .option('ip6', { type: 'string', describe: 'IPv6 address for the container on its network (one created with --ipv6)' });
}


export function createOptionsFrom(argv: Record<string, unknown>, positionals: string[], hostEnv: NodeJS.ProcessEnv): CreateOptions {
  const [image, ...command] = positionals;
  if (!image) throw new InvalidArgumentError('an image is required: pman run [options] IMAGE [COMMAND [ARG...]]');
  const stopTimeout = argv['stop-timeout'] === undefined ? undefined : Number(last(argv['stop-timeout']));
  if (stopTimeout !== undefined && !Number.isFinite(stopTimeout)) {
    throw new InvalidArgumentError(`invalid --stop-timeout "${last(argv['stop-timeout'])}": use a whole number of seconds`);
  }
  const podFile = last(argv['pod-id-file']);
  const pod = last(argv.pod) ?? (podFile !== undefined ? readPodIdFile(podFile) : undefined);
  const opts: CreateOptions = {
    image,
    command,
    name: last(argv.name),
    env: list(argv.env),
    envFiles: list(argv['env-file']),
    hostEnv,
    workdir: last(argv.workdir),
    entrypoint: last(argv.entrypoint),
    user: last(argv.user),
    hostname: last(argv.hostname),
    labels: list(argv.label),
    rm: argv.rm === true,
    tty: argv.tty === true,
    interactive: argv.interactive === true,
    logDriver: last(argv['log-driver']),
    logOpts: list(argv['log-opt']),
    runtime: last(argv.runtime),
    stopSignal: last(argv['stop-signal']),
    stopTimeout,
    ...(pod !== undefined ? { pod } : {}),
    httpProxy: argv['http-proxy'] !== false,
    ...pullOptionsFrom(argv, hostEnv),
    config: configOptionsFrom(argv, process.cwd()),
    extras: extrasOptionsFrom(argv, process.cwd(), hostEnv),
    createCommand: commandLine(),
  };
  return withContainersConf(opts, argv, hostEnv);
}

/** --pod new:NAME: the pod is created first, with podman's defaults and the container's -p and --hostname. */
export async function podFlagTarget(ctx: Context, opts: CreateOptions): Promise<CreateOptions> {
  if (!opts.pod?.startsWith('new:')) return opts;
  (await import('../container/create.js')).checkPodMemberUserns(opts);
  checkPodUsernsEnv(opts.hostEnv, 'create a pod with --pod new:');
  const { createPod } = await import('../pod/create.js');
  const network = opts.config?.network ?? { dns: [], dnsSearch: [], dnsOptions: [], addHosts: [] };
  // The container's --hostname becomes the pod's, as podman 4.3.1 does (the pod shares UTS).
  const pod = await createPod(ctx, { name: opts.pod.slice(4), infra: true, network, hostname: opts.hostname, labels: [], confSysctls: podConfSysctls(opts.hostEnv, ctx.runroot), createCommand: commandLine() });
  // The pod owns the network settings now: the container joins them.
  const config = opts.config ? { ...opts.config, network: { dns: [], dnsSearch: [], dnsOptions: [], addHosts: [] } } : undefined;
  return { ...opts, pod: pod.id, config };
}
