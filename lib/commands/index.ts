// The command table: name -> module loader. Only the module of the command being run is loaded,
// which keeps CLI start-up fast; `pman --help` loads them all. The groups' subcommands
// (`pman pod ps` is pod-ps) are listed in subcommands.ts.
import { SUBCOMMANDS } from './subcommands.js';
import type { CommandEntry } from './types.js';

export const COMMANDS: Record<string, CommandEntry> = {
  attach: { describe: 'Attach to a running container', load: async () => (await import('./attach.js')).attach },
  build: { describe: 'Build an image from a Containerfile or Dockerfile', load: async () => (await import('./build.js')).build },
  commit: { describe: "Create a new image from a container's changes", load: async () => (await import('./commit.js')).commit },
  cp: { describe: 'Copy files/folders between a container and the local filesystem', load: async () => (await import('./cp.js')).cp },
  create: { describe: 'Create but do not start a container', load: async () => (await import('./create.js')).create },
  events: { describe: 'Show pman events', load: async () => (await import('./events.js')).events },
  exec: { describe: 'Run a process in a running container', load: async () => (await import('./exec.js')).exec },
  export: { describe: "Export a container's filesystem contents as a tar archive", load: async () => (await import('./export.js')).exportCmd },
  healthcheck: { describe: 'Manage health checks on containers', load: async () => (await import('./healthcheck.js')).healthcheck },
  history: { describe: 'Show the history of an image', load: async () => (await import('./history.js')).history },
  images: { describe: 'List images in local storage', load: async () => (await import('./images.js')).images },
  import: { describe: 'Import a tarball to create a filesystem image', load: async () => (await import('./import.js')).importCmd },
  info: { describe: 'Display pman system information', load: async () => (await import('./info.js')).info },
  inspect: { describe: 'Display the configuration of a container or image', load: async () => (await import('./inspect.js')).inspect },
  kube: { describe: 'Play containers, pods or volumes from a structured file', load: async () => (await import('./kube.js')).kube },
  kill: { describe: 'Kill one or more running containers with a signal', load: async () => (await import('./kill.js')).kill },
  load: { describe: 'Load image(s) from a tar archive', load: async () => (await import('./load.js')).load },
  login: { describe: 'Log in to a container registry', load: async () => (await import('./login.js')).loginCmd },
  logout: { describe: 'Log out of a container registry', load: async () => (await import('./logout.js')).logoutCmd },
  logs: { describe: 'Fetch the logs of one or more containers', load: async () => (await import('./logs.js')).logs },
  network: { describe: 'Manage networks', load: async () => (await import('./network.js')).network },
  pause: { describe: 'Pause all the processes in one or more containers', load: async () => (await import('./pause.js')).pause },
  pod: { describe: 'Manage pods', load: async () => (await import('./pod.js')).pod },
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
  secret: { describe: 'Manage secrets', load: async () => (await import('./secret.js')).secret },
  volume: { describe: 'Manage volumes', load: async () => (await import('./volume.js')).volume },
  wait: { describe: 'Block on one or more containers until they stop', load: async () => (await import('./wait.js')).wait },
  // podman compatibility (#20): verbs podman has.
  completion: { describe: 'Generate shell completion scripts (bash, zsh, fish)', load: async () => (await import('./completion.js')).completion },
  diff: { describe: "Inspect changes to the container's file systems", load: async () => (await import('./diff.js')).diff },
  rename: { describe: 'Rename an existing container', load: async () => (await import('./rename.js')).rename },
  ...SUBCOMMANDS,
};

/** Aliases podman accepts (`pman container ls` style groups are handled in cli.ts). */
export const ALIASES: Record<string, string> = {
  list: 'ps',
  ls: 'ps',
};
