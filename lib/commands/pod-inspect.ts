// pman pod inspect [--format …] POD...
import type { Argv } from 'yargs';
import { InvalidArgumentError } from '../errors.js';
import { podContainers } from '../pod/members.js';
import { podInspectView } from '../pod/view.js';
import { resolvePod } from '../state/pods.js';
import { last, positionals } from './argv.js';
import { printInspected } from './inspect-output.js';
import type { CommandSpec } from './types.js';

export const podInspect: CommandSpec = {
  usage: 'pod inspect [options] POD...',
  positionals: '[pods..]',
  builder: (y: Argv) => y.option('format', { alias: 'f', type: 'string', describe: 'Go template for the output, or json' }),
  handler: async (ctx, argv, io) => {
    const refs = positionals(argv, 'pods');
    if (refs.length === 0) throw new InvalidArgumentError('pod inspect needs at least one pod name or ID');
    // As podman 4.3.1: the pods found (one as an object, several as an array, none as "[]"), a line
    // on stderr for each missing one, exit 125 if any was.
    const inspectOne = async (ref: string) => {
      const pod = resolvePod(ctx, ref);
      return podInspectView(pod, await podContainers(ctx, pod));
    };
    return printInspected(io, refs, inspectOne, last(argv.format), [], { oneAsObject: true });
  },
};
