// pman build [options] [CONTEXT]   (also `pman image build`)
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Argv } from 'yargs';
import { buildImage } from '../build/build.js';
import { InvalidArgumentError } from '../errors.js';
import { last, list } from './argv.js';
import { pullFlags, pullOptionsFrom } from './registry-flags.js';
import { write, type CommandSpec } from './types.js';

const FORMATS = ['oci', 'docker'];

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export const build: CommandSpec = {
  usage: 'build [options] [CONTEXT]',
  positionals: '[context]',
  optionalValue: ['pull'],
  builder: (y: Argv) =>
    pullFlags(y)
      .option('file', { alias: 'f', type: 'string', describe: 'Containerfile to build (default: Containerfile or Dockerfile in the context; - for standard input)' })
      .option('tag', { alias: 't', type: 'string', describe: 'Name for the image: NAME[:TAG]; repeatable' })
      .option('build-arg', { type: 'string', describe: 'ARG value: NAME=VALUE (or NAME, from the environment); repeatable' })
      .option('target', { type: 'string', describe: 'Build up to this stage and name its image' })
      .option('no-cache', { type: 'boolean', default: false, describe: 'Run every step again, using no cached step' })
      .option('layers', { type: 'boolean', default: true, describe: 'Cache the image of every step (default true; --layers=false uses no cache)' })
      .option('network', { alias: 'net', type: 'string', describe: 'Network for RUN steps: none (default) or host' })
      .option('label', { type: 'string', describe: 'Add a label to the image: KEY=VALUE; repeatable' })
      .option('format', { type: 'string', default: 'oci', describe: 'Image format: oci (default) or docker (keeps HEALTHCHECK, SHELL, ONBUILD)' })
      .option('iidfile', { type: 'string', describe: 'Write the image ID to this file' })
      .option('ignorefile', { type: 'string', describe: 'Ignore file instead of .containerignore/.dockerignore in the context' }),
  handler: async (ctx, argv, io) => {
    const cwd = process.cwd();
    const format = String(last(argv.format) ?? 'oci');
    if (!FORMATS.includes(format)) throw new InvalidArgumentError(`invalid --format "${format}": use oci or docker`);
    const file = last(argv.file);
    const quiet = argv.quiet === true;
    const pull = last(argv.pull);
    const { pull: pullRequest } = pullOptionsFrom({ ...argv, pull: pull === '' ? 'always' : pull, quiet: true }, process.env);
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    // Ctrl-C or a stop: the build removes the container of the step it is running, then fails.
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const s of signals) process.on(s, onSignal);
    const result = await buildImage(ctx, {
      context: path.resolve(cwd, argv.context === undefined ? '.' : String(argv.context)),
      file: file === '-' ? undefined : file,
      fileText: file === '-' ? await readAll(io.stdin) : undefined,
      tags: list(argv.tag),
      buildArgs: list(argv['build-arg']),
      hostEnv: process.env,
      target: last(argv.target),
      noCache: argv['no-cache'] === true,
      layers: argv.layers !== false,
      pull: pullRequest,
      network: last(argv.network),
      labels: list(argv.label),
      format: format as 'oci' | 'docker',
      ignoreFile: last(argv.ignorefile),
      cwd,
      stdout: quiet ? sink : io.stdout,
      stderr: io.stderr,
      quiet,
      signal: stop.signal,
    }).finally(() => {
      for (const s of signals) process.off(s, onSignal);
    });
    const iidfile = last(argv.iidfile);
    if (iidfile !== undefined) fs.writeFileSync(path.resolve(cwd, iidfile), `sha256:${result.image.id}`);
    await write(io.stdout, `${result.image.id}\n`);
    return 0;
  },
};
