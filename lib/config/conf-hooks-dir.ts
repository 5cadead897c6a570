// containers.conf's [engine] hooks_dir: where OCI hooks are looked for when no --hooks-dir is
// given (docs/commands.md, "OCI hooks"). Read only when a container's bundle is written, through
// the once-per-process cache, so commands that create nothing never read it.
import { containersConfFor } from './conf-cache.js';

export function confHooksDirs(env: NodeJS.ProcessEnv, runroot: () => string): () => string[] | undefined {
  return () => containersConfFor(env, runroot()).hooksDir;
}
