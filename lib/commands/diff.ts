// pman diff [--format json] CONTAINER: the container's changes, one "KIND /path" line each.
import type { Argv } from 'yargs';
import { containerChanges } from '../container/diff.js';
import { InvalidArgumentError } from '../errors.js';
import { resolveContainer } from '../state/containers.js';
import { last } from './argv.js';
import type { CommandSpec } from './types.js';

export const diff: CommandSpec = {
  usage: 'diff [options] CONTAINER',
  positionals: '<container>',
  builder: (y: Argv) => y.option('format', { type: 'string', describe: 'json for podman\'s {"changed","added","deleted"} document' }),
  handler: (ctx, argv, io) => {
    const format = last(argv.format);
    if (format !== undefined && format !== 'json') throw new InvalidArgumentError(`invalid --format "${format}": diff prints plain lines or json`);
    const changes = containerChanges(ctx, resolveContainer(ctx, String(argv.container)));
    if (format === 'json') {
      const of = (k: string) => changes.filter((c) => c.kind === k).map((c) => c.path);
      const doc: Record<string, string[]> = {};
      for (const [key, kind] of [['changed', 'C'], ['added', 'A'], ['deleted', 'D']]) if (of(kind).length) doc[key] = of(kind);
      io.stdout.write(`${JSON.stringify(doc, null, 4)}\n`);
    } else {
      io.stdout.write(changes.map((c) => `${c.kind} ${c.path}\n`).join(''));
    }
    return 0;
  },
};
