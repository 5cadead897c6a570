// pman pod inspect [--format …] POD...
import type { Argv } from 'yargs';
import { InvalidArgumentError } from '../errors.js';
import { formatObjects } from '../format/template.js';
import { podContainers } from '../pod/members.js';
import { podInspectView } from '../pod/view.js';
import { resolvePod } from '../state/pods.js';
import { positionals } from './argv.js';
import type { CommandSpec } from './types.js';

export const podInspect: CommandSpec = {
  usage: 'pod inspect [options] POD...',
  positionals: '[pods..]',
  builder: (y: Argv) => y.option('format', { alias: 'f', type: 'string', describe: 'Go template for the output, or json' }),
  handler: async (ctx, argv, io) => {
    const refs = positionals(argv, 'pods');
    if (refs.length === 0) throw new InvalidArgumentError('pod inspect needs at least one pod name or ID');
    const views = [];
    for (const ref of refs) {
      const pod = resolvePod(ctx, ref);
      views.push(podInspectView(pod, await podContainers(ctx, pod)));
    }
    const format = argv.format as string | undefined;
    // podman 4 prints one pod as an object and a template once per pod.
    const json = (v: unknown) => `${JSON.stringify(v, null, 4)}\n`;
    if (!format || format === 'json') io.stdout.write(json(views.length === 1 ? views[0] : views));
    else io.stdout.write(formatObjects(format, views));
    return 0;
  },
};
