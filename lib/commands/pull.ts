// pman pull [options] IMAGE
import type { Argv } from 'yargs';
import { closeAgents } from '../registry/http.js';
import { progressFor } from '../registry/progress.js';
import { pullImage } from '../registry/pull.js';
import { parseTransport, pullFromFile } from '../registry/transports.js';
import { platformFlags, platformFrom, registryFlags, registryOptionsFrom, signaturePolicyFlag } from './registry-flags.js';
import { write, type CommandSpec } from './types.js';
import { contentTrustFlag } from './transfer-compat-flags.js';
import { listTagReferences } from '../registry/tags.js';

export const pull: CommandSpec = {
  usage: 'pull [options] IMAGE',
  positionals: '<image>',
  builder: (y: Argv) =>
    signaturePolicyFlag(contentTrustFlag(platformFlags(registryFlags(y))))
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print only the image ID, no progress' })
      .option('all-tags', { alias: 'a', type: 'boolean', default: false, describe: 'Pull every tag of the repository' }),
  handler: async (ctx, argv, io) => {
    const { platform, requested } = platformFrom(argv);
    const registry = registryOptionsFrom(argv, process.env);
    const transport = parseTransport(String(argv.image));
    if (transport && transport.transport !== 'docker') {
      await write(io.stdout, `${(await pullFromFile(ctx, transport, registry)).id}\n`);
      return 0;
    }
    const image = transport ? transport.target : String(argv.image);
    try {
      const references = argv.allTags === true ? await listTagReferences(ctx, image, registry) : [image];
      for (const reference of references) {
        const r = await pullImage(ctx, { reference, registry, platform, platformRequested: requested, progress: progressFor(io.stderr, argv.quiet === true) });
        await write(io.stdout, `${r.image.id}\n`);
      }
      return 0;
    } finally {
      closeAgents();
    }
  },
};
