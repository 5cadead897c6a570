// pman secret: the group's commands are routed by lib/cli.ts, which also prints its help.
import { groupCommand } from './group-help.js';
import type { CommandSpec } from './types.js';

export const secret: CommandSpec = groupCommand('secret');
