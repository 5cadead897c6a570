// Finding the command word in pman's argv, shared by the CLI's router and by the entry point
// (which must know before loading anything else whether a container is about to be started).

/** Global flags that take a value (so the value is not taken for the command word). */
export const GLOBAL_VALUE_FLAGS = new Set([
  '--root', '--runroot', '--runtime', '--log-level',
  // podman's other global flags that take a value (lib/cli.ts globalOptions).
  '--cgroup-manager', '--events-backend', '--storage-driver', '--storage-opt', '--tmpdir', '--conmon', '--hooks-dir',
  '--namespace', '--network-cmd-path', '--network-config-dir', '--runtime-flag', '--volumepath', '--connection',
  '--identity', '--url', '--ssh',
]);

/** Index of the first word after the global flags (argv.length when there is none). */
export function commandIndex(argv: string[]): number {
  let i = 0;
  while (i < argv.length && argv[i].startsWith('-')) i += GLOBAL_VALUE_FLAGS.has(argv[i]) ? 2 : 1;
  return i;
}

const STARTS_CONTAINERS = new Set(['run', 'start', 'restart']);

/** Whether this command line will start a container (pman run …, pman container start …). */
export function startsContainer(argv: string[]): boolean {
  const i = commandIndex(argv);
  const word = argv[i] === 'container' ? argv[i + 1] : argv[i];
  return word !== undefined && STARTS_CONTAINERS.has(word) && !argv.includes('--help') && !argv.includes('-h');
}
