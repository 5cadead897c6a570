// The groups' `exists` commands (container, image, pod, network, volume, secret): exit 0 when the
// named thing exists, 1 when it does not (podman's codes); any other failure is an error as usual.
// Each command module is one call of existsCommand with its lookup.
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import type { CommandSpec } from './types.js';

export interface ExistsCommand {
  usage: string;
  /** The positional naming the thing (container, image …). */
  what: string;
  /**
   * The one line for a command line without the name, where podman words it itself (pod, network,
   * volume); without it the name is a required positional and the parser says it is missing.
   */
  missing?: string;
  builder?: CommandSpec['builder'];
  exists: (ctx: Context, name: string) => boolean;
}

export function existsCommand(c: ExistsCommand): CommandSpec {
  return {
    usage: c.usage,
    positionals: c.missing ? `[${c.what}]` : `<${c.what}>`,
    ...(c.builder ? { builder: c.builder } : {}),
    handler: (ctx, argv) => {
      const name = argv[c.what];
      if (name === undefined) throw new InvalidArgumentError(c.missing ?? `missing argument: usage: pman ${c.usage}`);
      return c.exists(ctx, String(name)) ? 0 : 1;
    },
  };
}
