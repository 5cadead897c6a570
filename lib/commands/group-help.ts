// A command group (pman pod, pman network …) named without one of its commands. lib/cli.ts
// answers `pman GROUP`, `pman GROUP --help` and `pman help GROUP` itself, listing the group's
// commands with their descriptions from the command table, and routes `pman GROUP [global
// flags] COMMAND`; this is only reached for global flags with no command after them.
import { InvalidArgumentError } from '../errors.js';
import type { CommandSpec } from './types.js';

export function groupCommand(group: string): CommandSpec {
  return {
    usage: `${group} COMMAND`,
    handler: () => {
      throw new InvalidArgumentError(`missing command "pman ${group} COMMAND": run "pman ${group} --help" for its commands`);
    },
  };
}
