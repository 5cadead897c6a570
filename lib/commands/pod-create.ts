// pman pod create [options]
import type { Argv } from 'yargs';
import { createPod } from '../pod/create.js';
import { commandLine, last, list } from './argv.js';
import { podConfSysctls } from './containers-conf.js';
import type { CommandSpec } from './types.js';
import { checkPodUsernsEnv } from '../container/userns-default.js';

const str = (describe: string) => ({ type: 'string' as const, describe });

export const podCreate: CommandSpec = {
  usage: 'pod create [options] [NAME]',
  positionals: '[podname]',
  shortHelp: false,
  builder: (y: Argv) =>
    y
      .option('name', { alias: 'n', ...str('Assign a name to the pod') })
      .option('infra', { type: 'boolean', default: true, describe: 'Create an infra container holding the shared namespaces (--infra=false: none)' })
      .option('no-infra', { type: 'boolean', default: false, hidden: true })
      .option('share', str('Namespaces to share: ipc, net, uts, pid, cgroup (comma list; +NS adds to the default ipc,net,uts)'))
      .option('publish', { alias: 'p', ...str('Publish a port of the pod to the host ([IP:][HOSTPORT:]PORT[/PROTO])') })
      .option('network', { alias: 'net', ...str('Network mode of the pod: none, host, bridge or network names') })
      .option('hostname', str('Host name of the pod (default: its name)'))
      .option('add-host', str('Add a custom host-to-IP mapping (HOST:IP)'))
      .option('dns', str('Set custom DNS servers'))
      .option('dns-search', str('Set custom DNS search domains'))
      .option('dns-option', str('Set custom DNS options'))
      .option('label', { alias: 'l', ...str('Set metadata on the pod (KEY=VALUE)') })
      .option('infra-name', str('Name of the infra container'))
      .option('pod-id-file', str('Write the pod ID to this file'))
      .option('exit-policy', { type: 'string', choices: ['continue', 'stop'], describe: 'What the pod does when its last container exits' })
      .option('replace', { type: 'boolean', default: false, describe: 'Remove an existing pod of the same name first' })
      .option('cgroup-parent', str("Make the pod's cgroup under this cgroup (PATH, from the root of the cgroup tree); its containers' cgroups go in the pod's")),
  handler: async (ctx, argv, io) => {
    const infra = argv.infra !== false && argv['no-infra'] !== true;
    if (infra) checkPodUsernsEnv(process.env, 'create the pod');
    const comma = (v: unknown) => list(v).flatMap((x) => x.split(',')).filter(Boolean);
    const pod = await createPod(ctx, {
      name: last(argv.name) ?? last(argv.podname),
      infra,
      share: last(argv.share),
      network: {
        network: list(argv.network).length ? list(argv.network).join(',') : undefined,
        publish: list(argv.publish),
        dns: comma(argv.dns),
        dnsSearch: comma(argv['dns-search']),
        dnsOptions: list(argv['dns-option']),
        addHosts: list(argv['add-host']),
      },
      hostname: last(argv.hostname),
      labels: list(argv.label),
      infraName: last(argv['infra-name']),
      exitPolicy: last(argv['exit-policy']),
      podIdFile: last(argv['pod-id-file']),
      replace: argv.replace === true,
      confSysctls: podConfSysctls(process.env, ctx.runroot),
      cgroupParent: last(argv['cgroup-parent']),
      createCommand: commandLine(),
    });
    io.stdout.write(`${pod.id}\n`);
    return 0;
  },
};
