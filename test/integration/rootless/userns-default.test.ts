// The default user namespace mode for a rootless user (docs/userns.md, "The default mode"): the
// user's own ~/.config/containers/containers.conf userns and PODMAN_USERNS, below --userns. host is
// the rootless default (the user's namespace: root mapped to the user, the rest to their
// /etc/subuid range); keep-id and auto are refused naming where they came from.
import fs from 'node:fs';
import path from 'node:path';
import { RootlessEnv, USER1 } from './rootless-env.js';

const env = RootlessEnv.forFile(USER1);

/** Writes the user's own containers.conf (HOME/.config/containers, read for rootless users only). */
function userConf(text: string): string {
  const dir = path.join(env.home, '.config', 'containers');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'containers.conf');
  fs.writeFileSync(file, text);
  for (const p of [path.join(env.home, '.config'), dir, file]) fs.chownSync(p, env.uid, env.gid);
  return file;
}

/** pman as the user with PODMAN_USERNS set. */
const withVar = (value: string, args: string[]) => env.as(['env', `PODMAN_USERNS=${value}`, env.bin, ...args]);

describe('the default user namespace mode, rootless', () => {
  it("takes the user's containers.conf and PODMAN_USERNS below --userns; host is the user's namespace, keep-id and auto are refused naming their source", async () => {
    userConf('[containers]\nuserns = "host"\n');
    const map = (await env.ok(['run', '--rm', 'busybox', 'cat', '/proc/self/uid_map'])).split('\n').map((l) => l.trim().split(/\s+/).join(' '));
    expect(map).toEqual([`0 ${env.uid} 1`, `1 ${USER1.subStart} 65536`]);

    const file = userConf('[containers]\nuserns = "keep-id"\n');
    // The message lists the files read (the machine's /usr/share one too, when it has one), the user's last.
    const keepId = await env.pman(['create', 'busybox', 'true']);
    expect(keepId.exitCode).toBe(125);
    expect(keepId.stderr).toMatch(/^Error: userns in containers\.conf \(/);
    expect(keepId.stderr).toContain(`${file}) "keep-id" is not supported yet: rootless containers run in the user's namespace with uid 0 mapped to the user`);
    expect(keepId.stderr.split('\n')).toHaveLength(1);
    // PODMAN_USERNS over the file: its own refusal.
    expect(await withVar('auto', ['create', 'busybox', 'true'])).toMatchObject({
      exitCode: 125,
      stderr: expect.stringMatching(/^Error: cannot use PODMAN_USERNS "auto" in a rootless container: a rootless container already runs in your user namespace/),
    });
    expect((await env.ok(['ps', '-aq'])).trim()).toBe('');
    // Over both: the flag, and PODMAN_USERNS=host (the file's keep-id never read).
    await env.ok(['create', '--name', 'flag', '--userns', 'host', 'busybox', 'true']);
    expect(await withVar('host', ['create', '--name', 'var', 'busybox', 'true'])).toMatchObject({ exitCode: 0 });
    expect((await env.ok(['ps', '-a', '--format', '{{.Names}}'])).split('\n').sort()).toEqual(['flag', 'var']);
    await env.ok(['rm', 'flag', 'var']);
  });
});
