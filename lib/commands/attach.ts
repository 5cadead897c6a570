// pman attach [options] CONTAINER
import type { Argv } from 'yargs';
import { last } from './argv.js';
import { attachContainer } from '../container/attach.js';
import { detachKeysFlag, detachKeysFrom } from './detach-keys-flag.js';
import type { CommandSpec } from './types.js';
import { namedOrLatest, latestFlag } from './latest-flag.js';

export const attach: CommandSpec = {
  usage: 'attach [options] CONTAINER',
  positionals: '[container]',
  builder: (y: Argv) =>
    detachKeysFlag(latestFlag(y).option('no-stdin', { type: 'boolean', default: false, describe: 'Do not attach stdin' })).option('sig-proxy', {
      type: 'boolean',
      default: true,
      describe: 'Proxy received signals to the container',
    }),
  handler: async (ctx, argv, io) => {
    const ref = last(argv.container);
    const [rec] = namedOrLatest(ctx, argv, ref === undefined ? [] : [ref], 'attach');
    const r = await attachContainer(ctx, rec, {
      io,
      stdin: argv['no-stdin'] !== true,
      detachKeys: detachKeysFrom(argv),
      sigProxy: argv['sig-proxy'] !== false,
    });
    return r.kind === 'exit' ? r.exitCode : 0;
  },
};
