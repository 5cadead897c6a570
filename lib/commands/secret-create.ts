// pman secret create [options] NAME FILE|-   (docs/secrets.md)
import fs from 'node:fs';
import type { Argv } from 'yargs';
import { parseLabels } from '../container/create.js';
import { parseKeyValueFlags } from '../container/parse/metadata.js';
import { InvalidArgumentError } from '../errors.js';
import { createSecret, MAX_SECRET_BYTES } from '../secret/secrets.js';
import { last, list } from './argv.js';
import type { CommandSpec, IO } from './types.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    chunks.push(Buffer.from(c as Buffer));
    size += (c as Buffer).length;
    if (size > MAX_SECRET_BYTES) break; // enough to refuse it
  }
  return Buffer.concat(chunks);
}

async function secretData(argv: Record<string, unknown>, io: IO, hostEnv: NodeJS.ProcessEnv): Promise<Buffer> {
  const source = last(argv.source);
  if (source === undefined) throw new InvalidArgumentError('secret create needs NAME and FILE (or - for standard input, or --env VARIABLE)');
  if (argv.env === true) {
    const v = hostEnv[source];
    if (v === undefined) throw new InvalidArgumentError(`--env: no environment variable "${source}"`);
    return Buffer.from(v);
  }
  if (source === '-') return readAll(io.stdin);
  try {
    return fs.readFileSync(source);
  } catch (err) {
    throw new InvalidArgumentError(`cannot read secret file "${source}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export const secretCreate: CommandSpec = {
  usage: 'secret create [options] NAME FILE|-',
  positionals: '[name] [source]',
  builder: (y: Argv) =>
    y
      .option('driver', { alias: 'd', type: 'string', default: 'file', describe: 'Secret driver (only file)' })
      .option('driver-opts', { type: 'string', describe: 'Driver options KEY=VALUE (recorded)' })
      .option('env', { type: 'boolean', default: false, describe: 'Read the secret data from the environment variable named instead of FILE' })
      .option('label', { alias: 'l', type: 'string', describe: 'Set labels on the secret (KEY=VALUE)' })
      .option('replace', { type: 'boolean', default: false, describe: 'Replace a secret of the same name (unless a container uses it)' }),
  handler: async (ctx, argv, io) => {
    const name = last(argv.name);
    if (name === undefined) throw new InvalidArgumentError('secret create needs NAME and FILE (or - for standard input)');
    const data = await secretData(argv, io, process.env);
    const rec = await createSecret(ctx, {
      name,
      data,
      driver: last(argv.driver),
      driverOptions: parseKeyValueFlags(list(argv['driver-opts']).flatMap((o) => o.split(',')), '--driver-opts'),
      labels: parseLabels(list(argv.label)),
      replace: argv.replace === true,
    });
    io.stdout.write(`${rec.id}\n`);
    return 0;
  },
};
