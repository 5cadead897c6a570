// pman pull [options] IMAGE
import type { Argv } from 'yargs';
import { closeAgents } from '../registry/http.js';
import { progressFor } from '../registry/progress.js';
import { pullImage } from '../registry/pull.js';
import { parseTransport, pullFromFile } from '../registry/transports.js';
import { platformFlags, platformFrom, registryFlags, registryOptionsFrom, signaturePolicyFlag } from './registry-flags.js';
import { write, type CommandSpec } from './types.js';

export const pull: CommandSpec = {
  usage: 'pull [options] IMAGE',
  positionals: '<image>',
  builder: (y: Argv) =>
    signaturePolicyFlag(platformFlags(registryFlags(y))).option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the image ID, no progress' }),
  handler: async (ctx, argv, io) => {
    const { platform, requested } = platformFrom(argv);
    const transport = parseTransport(String(argv.image));
    if (transport && transport.transport !== 'docker') {
      await write(io.stdout, `${(await pullFromFile(ctx, transport, registryOptionsFrom(argv, process.env))).id}\n`);
      return 0;
    }
    try {
      const r = await pullImage(ctx, {
        reference: transport ? transport.target : String(argv.image),
        registry: registryOptionsFrom(argv, process.env),
        platform,
        platformRequested: requested,
        progress: progressFor(io.stderr, argv.quiet === true),
      });
      await write(io.stdout, `${r.image.id}\n`);
      return 0;
    } finally {
      closeAgents();
    }
  },
};
