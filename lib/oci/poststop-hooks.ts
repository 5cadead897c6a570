// Whether a container's config.json has poststop hooks. runc runs them at `runc delete`; a --rm
// container's shim normally deletes runc's state after it has told the client the exit (the
// fastest `run --rm`), but with poststop hooks it deletes it first, so that they have run (with
// the container's bundle still in place) when `run --rm` returns, as in podman. Read by the shim
// of a --rm container once it has exited; a config.json without the word costs one read.
import fs from 'node:fs';
import path from 'node:path';
import { parseSpec } from './spec.js';

export function hasPoststopHooks(bundleDir: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(path.join(bundleDir, 'config.json'), 'utf8');
  } catch {
    return false; // no bundle: runc has nothing to run either
  }
  if (!text.includes('"poststop"')) return false;
  try {
    const hooks = (parseSpec(text) as { hooks?: { poststop?: unknown } }).hooks;
    return Array.isArray(hooks?.poststop) && hooks.poststop.length > 0;
  } catch {
    return false; // runc refuses a config.json it cannot read: it ran nothing
  }
}
