// pman kube: the group's help (play, down, generate are routed by cli.ts to kube-* modules).
import { groupHelp } from './group-help.js';
import type { CommandSpec } from './types.js';

const SUBCOMMANDS = [
  ['down', 'Remove pods based on Kubernetes YAML'],
  ['generate', 'Generate Kubernetes YAML based on containers or pods'],
  ['play', 'Play a pod and its containers based on Kubernetes YAML'],
];

export const kube: CommandSpec = groupHelp('kube', 'Play containers, pods or volumes from a structured file', SUBCOMMANDS);
