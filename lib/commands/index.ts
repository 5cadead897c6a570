// The command table: name -> module loader. Only the module of the command being run is loaded,
// which keeps CLI start-up fast; `pman --help` loads them all.
import type { CommandSpec } from './types.js';

export interface CommandEntry {
  describe: string;
  load: () => Promise<CommandSpec>;
  /** Not listed in `pman --help` (a group's subcommand, e.g. volume-ls for `pman volume ls`). */
  hidden?: boolean;
}

export const COMMANDS: Record<string, CommandEntry> = {
  attach: { describe: 'Attach to a running container', load: async () => (await import('./attach.js')).attach },
  build: { describe: 'Build an image from a Containerfile or Dockerfile', load: async () => (await import('./build.js')).build },
  commit: { describe: "Create a new image from a container's changes", load: async () => (await import('./commit.js')).commit },
  cp: { describe: 'Copy files/folders between a container and the local filesystem', load: async () => (await import('./cp.js')).cp },
  create: { describe: 'Create but do not start a container', load: async () => (await import('./create.js')).create },
  exec: { describe: 'Run a process in a running container', load: async () => (await import('./exec.js')).exec },
  export: { describe: "Export a container's filesystem contents as a tar archive", load: async () => (await import('./export.js')).exportCmd },
  history: { describe: 'Show the history of an image', load: async () => (await import('./history.js')).history },
  'image-exists': { describe: 'Check if an image exists in local storage', hidden: true, load: async () => (await import('./image-exists.js')).imageExists },
  'image-prune': { describe: 'Remove unused images', hidden: true, load: async () => (await import('./image-prune.js')).imagePrune },
  images: { describe: 'List images in local storage', load: async () => (await import('./images.js')).images },
  import: { describe: 'Import a tarball to create a filesystem image', load: async () => (await import('./import.js')).importCmd },
  info: { describe: 'Display pman system information', load: async () => (await import('./info.js')).info },
  inspect: { describe: 'Display the configuration of a container or image', load: async () => (await import('./inspect.js')).inspect },
  kill: { describe: 'Kill one or more running containers with a signal', load: async () => (await import('./kill.js')).kill },
  load: { describe: 'Load image(s) from a tar archive', load: async () => (await import('./load.js')).load },
  login: { describe: 'Log in to a container registry', load: async () => (await import('./login.js')).loginCmd },
  logout: { describe: 'Log out of a container registry', load: async () => (await import('./logout.js')).logoutCmd },
  logs: { describe: 'Fetch the logs of one or more containers', load: async () => (await import('./logs.js')).logs },
  network: { describe: 'Manage networks', load: async () => (await import('./network.js')).network },
  'network-connect': { describe: 'Connect a container to a network', hidden: true, load: async () => (await import('./network-connect.js')).networkConnect },
  'network-create': { describe: 'Create a network', hidden: true, load: async () => (await import('./network-create.js')).networkCreate },
  'network-disconnect': { describe: 'Disconnect a container from a network', hidden: true, load: async () => (await import('./network-disconnect.js')).networkDisconnect },
  'network-exists': { describe: 'Check if a network exists', hidden: true, load: async () => (await import('./network-exists.js')).networkExistsCmd },
  'network-inspect': { describe: 'Display detailed information on one or more networks', hidden: true, load: async () => (await import('./network-inspect.js')).networkInspect },
  'network-ls': { describe: 'List networks', hidden: true, load: async () => (await import('./network-ls.js')).networkLs },
  'network-prune': { describe: 'Remove all unused networks', hidden: true, load: async () => (await import('./network-prune.js')).networkPrune },
  'network-reload': { describe: "Reload containers' network rules and interfaces", hidden: true, load: async () => (await import('./network-reload.js')).networkReload },
  'network-rm': { describe: 'Remove one or more networks', hidden: true, load: async () => (await import('./network-rm.js')).networkRm },
  pause: { describe: 'Pause all the processes in one or more containers', load: async () => (await import('./pause.js')).pause },
  port: { describe: 'List port mappings of a container', load: async () => (await import('./port.js')).port },
  ps: { describe: 'List containers', load: async () => (await import('./ps.js')).ps },
  pull: { describe: 'Pull an image from a registry', load: async () => (await import('./pull.js')).pull },
  push: { describe: 'Push an image to a registry', load: async () => (await import('./push.js')).push },
  restart: { describe: 'Restart one or more containers', load: async () => (await import('./restart.js')).restart },
  rm: { describe: 'Remove one or more containers', load: async () => (await import('./rm.js')).rm },
  rmi: { describe: 'Remove one or more images', load: async () => (await import('./rmi.js')).rmi },
  run: { describe: 'Run a command in a new container', load: async () => (await import('./run.js')).run },
  save: { describe: 'Save image(s) to an archive', load: async () => (await import('./save.js')).save },
  start: { describe: 'Start one or more containers', load: async () => (await import('./start.js')).start },
  stats: { describe: 'Display a live stream of container resource usage statistics', load: async () => (await import('./stats.js')).stats },
  stop: { describe: 'Stop one or more containers', load: async () => (await import('./stop.js')).stop },
  system: { describe: 'Manage pman itself (system migrate)', load: async () => (await import('./system.js')).system },
  tag: { describe: 'Add an additional name to a local image', load: async () => (await import('./tag.js')).tag },
  top: { describe: 'Display the running processes of a container', load: async () => (await import('./top.js')).top },
  unpause: { describe: 'Unpause the processes in one or more containers', load: async () => (await import('./unpause.js')).unpause },
  untag: { describe: 'Remove names from a local image', load: async () => (await import('./untag.js')).untag },
  version: { describe: 'Display the pman version information', load: async () => (await import('./version.js')).version },
  volume: { describe: 'Manage volumes', load: async () => (await import('./volume.js')).volume },
  'volume-create': { describe: 'Create a new volume', hidden: true, load: async () => (await import('./volume-create.js')).volumeCreate },
  'volume-inspect': { describe: 'Display detailed information on one or more volumes', hidden: true, load: async () => (await import('./volume-inspect.js')).volumeInspect },
  'volume-ls': { describe: 'List volumes', hidden: true, load: async () => (await import('./volume-ls.js')).volumeLs },
  'volume-prune': { describe: 'Remove all unused volumes', hidden: true, load: async () => (await import('./volume-prune.js')).volumePrune },
  'volume-rm': { describe: 'Remove one or more volumes', hidden: true, load: async () => (await import('./volume-rm.js')).volumeRm },
  wait: { describe: 'Block on one or more containers until they stop', load: async () => (await import('./wait.js')).wait },
  // podman compatibility (#20): verbs and group subcommands podman has.
  completion: { describe: 'Generate shell completion scripts (bash, zsh, fish)', load: async () => (await import('./completion.js')).completion },
  'container-exists': { describe: 'Check if a container exists in local storage', hidden: true, load: async () => (await import('./container-exists.js')).containerExists },
  'container-prune': { describe: 'Remove all non running containers', hidden: true, load: async () => (await import('./container-prune.js')).containerPrune },
  diff: { describe: "Inspect changes to the container's file systems", load: async () => (await import('./diff.js')).diff },
  rename: { describe: 'Rename an existing container', load: async () => (await import('./rename.js')).rename },
  'system-df': { describe: 'Show pman disk usage', hidden: true, load: async () => (await import('./system-df.js')).systemDf },
  'system-prune': { describe: 'Remove unused data', hidden: true, load: async () => (await import('./system-prune.js')).systemPruneCmd },
  'system-reset': { describe: 'Reset pman storage', hidden: true, load: async () => (await import('./system-reset.js')).systemResetCmd },
};

/** Aliases podman accepts (`pman container ls` style groups are handled in cli.ts). */
export const ALIASES: Record<string, string> = {
  list: 'ps',
  ls: 'ps',
};
