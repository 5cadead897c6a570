// The words `pman system` handles itself (lib/commands/system.ts) and what each does: one table
// for that command's usage and for `pman system --help` (lib/cli.ts), which lists them beside the
// system commands routed elsewhere (df, info, prune, reset).
export const SYSTEM_OWN_VERBS: Record<string, string> = {
  check: 'Check (and with --repair fix) containers, images, volumes and locks against the disk',
  migrate: 'Stop your containers and reset your rootless user namespace',
  service: 'Serve the Docker-compatible API on a unix socket (docs/api.md)',
};
