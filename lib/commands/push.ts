// pman push [options] IMAGE [DESTINATION]
import fs from 'node:fs';
import type { Argv } from 'yargs';
import { InvalidArgumentError, systemError } from '../errors.js';
import { closeAgents } from '../registry/http.js';
import { progressFor } from '../registry/progress.js';
import { pushImage } from '../registry/push.js';
import { last } from './argv.js';
import { parseTransport, pushToFile } from '../registry/transports.js';
import { registryFlags, registryOptionsFrom } from './registry-flags.js';
import type { CommandSpec } from './types.js';
import { checkPushCompat, pushCompatFlags, pushManifestFormat } from './transfer-compat-flags.js';

function chunkSizeFrom(env: NodeJS.ProcessEnv): number | undefined {
  const v = env.PMAN_PUSH_CHUNK_SIZE;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`invalid PMAN_PUSH_CHUNK_SIZE "${v}": use a number of bytes`);
  return n;
}

export const push: CommandSpec = {
  usage: 'push [options] IMAGE [DESTINATION]',
  positionals: '<image> [destination]',
  builder: (y: Argv) =>
    pushCompatFlags(registryFlags(y))
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Do not print progress' })
      .option('digestfile', { type: 'string', describe: 'Write the digest of the pushed manifest to this file' }),
  handler: async (ctx, argv, io) => {
    const transport = argv.destination === undefined ? undefined : parseTransport(last(argv.destination)!);
    const toFile = transport !== undefined && transport.transport !== 'docker';
    checkPushCompat(ctx, argv, String(argv.image), toFile);
    if (toFile) {
      await pushToFile(ctx, String(argv.image), transport, { format: pushManifestFormat(argv), compress: argv.compress === true });
      return 0;
    }
    try {
      const r = await pushImage(ctx, {
        source: String(argv.image),
        destination: argv.destination === undefined ? undefined : last(argv.destination)!,
        registry: registryOptionsFrom(argv, process.env),
        progress: progressFor(io.stderr, argv.quiet === true),
        chunkSize: chunkSizeFrom(process.env),
      });
      const digestFile = last(argv.digestfile);
      if (digestFile !== undefined) {
        try {
          fs.writeFileSync(digestFile, r.digest);
        } catch (err) {
          throw systemError(`write the digest to "${digestFile}"`, err);
        }
      }
      return 0;
    } finally {
      closeAgents();
    }
  },
};
