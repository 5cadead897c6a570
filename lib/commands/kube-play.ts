// pman kube play [options] FILE|- ; pman kube down FILE|- (and play --down).
import fs from 'node:fs';
import type { Argv } from 'yargs';
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { containersConfFor } from '../config/conf-cache.js';
import { kubeDown, kubePlay } from '../kube/play.js';
import { checkPodUsernsEnv } from '../container/userns-default.js';
import { pullFlags, pullOptionsFrom } from './registry-flags.js';
import { commandLine, last } from './argv.js';
import { readAll } from './prompt.js';
import type { CommandSpec, IO } from './types.js';

async function readFile(io: IO, file: unknown, verb: string): Promise<{ file: string; text: string }> {
  if (file === undefined) throw new InvalidArgumentError(`kube ${verb} needs a file: pman kube ${verb} FILE (or - for standard input)`);
  const name = String(file);
  if (name === '-') return { file: '-', text: await readAll(io.stdin) };
  try {
    return { file: name, text: fs.readFileSync(name, 'utf8') };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`cannot read "${name}": no such file`);
    throw new InvalidArgumentError(`cannot read "${name}": ${(err as Error).message}`);
  }
}

async function down(ctx: Context, io: IO, file: unknown, verb: string): Promise<number> {
  const f = await readFile(io, file, verb);
  const removed = await kubeDown(ctx, f.file, f.text);
  if (removed.length) io.stdout.write(`Pods stopped:\n${removed.join('\n')}\nPods removed:\n${removed.join('\n')}\n`);
  return 0;
}

export const kubePlayCmd: CommandSpec = {
  usage: 'kube play [options] FILE|-',
  positionals: '[file]',
  builder: (y: Argv) =>
    pullFlags(y)
      .option('down', { type: 'boolean', default: false, describe: 'Remove what the file created (as kube down)' })
      .option('replace', { type: 'boolean', default: false, describe: 'Remove pods of the same names first, then play' })
      .option('network', { alias: 'net', type: 'string', describe: 'Networks of the pods (default: bridge when a hostPort is published, else none)' })
      .option('start', { type: 'boolean', default: true, describe: 'Start the pods (--start=false: only create them)' }),
  handler: async (ctx, argv, io) => {
    if (argv.down === true) return down(ctx, io, argv.file, 'play');
    checkPodUsernsEnv(process.env, 'play pods');
    const f = await readFile(io, argv.file, 'play');
    const r = await kubePlay(ctx, { ...f, replace: argv.replace === true, start: argv.start !== false, network: last(argv.network), ...pullOptionsFrom(argv, process.env), conf: containersConfFor(process.env, ctx.runroot), commandLine: commandLine() });
    let out = '';
    for (const v of r.volumes) out += `Volume:\n${v}\n`;
    for (const p of r.pods) out += `Pod:\n${p.id}\nContainers:\n${p.containers.join('\n')}\n\n`;
    io.stdout.write(out);
    return 0;
  },
};

export const kubeDownCmd: CommandSpec = {
  usage: 'kube down FILE|-',
  positionals: '[file]',
  handler: (ctx, argv, io) => down(ctx, io, argv.file, 'down'),
};
