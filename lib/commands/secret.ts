// pman secret: the group's help (its subcommands are routed by cli.ts to secret-* modules).
import { groupHelp } from './group-help.js';
import type { CommandSpec } from './types.js';

const SUBCOMMANDS = [
  ['create', 'Create a new secret'],
  ['exists', 'Check if a secret exists'],
  ['inspect', 'Inspect a secret'],
  ['ls', 'List secrets'],
  ['rm', 'Remove one or more secrets'],
];

export const secret: CommandSpec = groupHelp('secret', 'Manage secrets', SUBCOMMANDS);
