// pman pod: the group's help (its subcommands are routed by cli.ts to pod-* modules).
import { groupHelp } from './group-help.js';
import type { CommandSpec } from './types.js';

const SUBCOMMANDS = [
  ['create', 'Create a new empty pod'],
  ['exists', 'Check if a pod exists'],
  ['inspect', 'Display a pod configuration'],
  ['kill', 'Send the specified signal or SIGKILL to containers in a pod'],
  ['logs', 'Fetch logs for pod with one or more containers'],
  ['pause', 'Pause one or more pods'],
  ['prune', 'Remove all stopped pods and their containers'],
  ['ps', 'List pods'],
  ['restart', 'Restart one or more pods'],
  ['rm', 'Remove one or more stopped pods and containers'],
  ['start', 'Start one or more pods'],
  ['stats', 'Display a live stream of resource usage statistics for the containers in one or more pods'],
  ['stop', 'Stop one or more pods'],
  ['top', 'Display the running processes of containers in a pod'],
  ['unpause', 'Unpause one or more pods'],
];

export const pod: CommandSpec = groupHelp('pod', 'Manage pods', SUBCOMMANDS);
