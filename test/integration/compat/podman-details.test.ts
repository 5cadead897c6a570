// Details where pman answered differently from podman 4.3.1, each checked side by side on this
// machine and matched (docs/commands.md, "Behaviour next to podman 4.3.1").
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv, until } from '../harness.js';
import { useEnv } from './shared-env.js';

const getEnv = useEnv();
let env: TestEnv;
beforeAll(() => {
  env = getEnv();
});

const lines = (text: string) => text.split(/\0|\n/).filter(Boolean).sort();

/** runc's status of the container in this store ('none' when runc does not know it). */
function runcState(id: string): string {
  try {
    return JSON.parse(execFileSync('runc', ['--root', path.join(env.runroot, 'runc'), 'state', id], { stdio: ['ignore', 'pipe', 'ignore'] }).toString()).status as string;
  } catch {
    return 'none';
  }
}

/** The process exists and is not a zombie. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('inspect .Config.Env', () => {
  it('is the environment the process really has: image, given and default variables, TERM also without -t', async () => {
    await env.ok(['run', '-d', '--name', 'envs', '--network', 'none', '-e', 'FOO=1', '-u', 'pmanuser', '-h', 'envhost', '--unsetenv', 'container', 'busybox', 'sleep', '1000']);
    const [doc] = JSON.parse(await env.ok(['inspect', 'envs'])) as Array<{ Config: { Env: string[] } }>;
    const real = lines(await env.ok(['exec', 'envs', 'cat', '/proc/1/environ']));
    expect(lines(doc.Config.Env.join('\n'))).toEqual(real);
    expect(real).toEqual(['FOO=1', 'HOME=/home/pmanuser', 'HOSTNAME=envhost', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm']);
  });
});

describe('container sizes', () => {
  it('inspect --size fills SizeRw (the writable layer) and SizeRootFs (the image layers); ps --size prints both as podman', async () => {
    await env.ok(['run', '--name', 'sized', '--network', 'none', 'busybox', 'sh', '-c', 'dd if=/dev/zero of=/big bs=1k count=300 2>/dev/null; echo hi > /small; ln /big /big2']);
    await env.ok(['create', '--name', 'unsized', '--network', 'none', 'busybox', 'true']);
    const sizes = async (name: string) => {
      const [doc] = JSON.parse(await env.ok(['inspect', '--size', name])) as Array<{ SizeRw: number; SizeRootFs: number; GraphDriver: { Data: { LowerDir: string } } }>;
      return doc;
    };
    const sized = await sizes('sized');
    const unsized = await sizes('unsized');
    // The hard link is counted once, the /etc/mtab link of a started container is 12 bytes (podman
    // 4.3.1 reports 307212 for the dd alone); the image's layers alone make SizeRootFs.
    expect([sized.SizeRw, unsized.SizeRw]).toEqual([300 * 1024 + 3 + 12, 0]);
    expect(sized.SizeRootFs).toBe(unsized.SizeRootFs);
    const layers = sized.GraphDriver.Data.LowerDir.split(':');
    const { stdout } = await execa('sh', ['-c', `find "$@" ! -type d -printf '%i %s\\n' | sort -u | awk '{ s += $2 } END { print s }'`, 'sh', ...layers]);
    expect(sized.SizeRootFs).toBe(Number(stdout));
    const mb = `${Number((sized.SizeRootFs / 1e6).toPrecision(3))}MB`;
    expect(await env.ok(['ps', '-a', '--size', '--filter', 'name=^sized$', '--format', '{{.Size}}'])).toBe(`307kB (virtual ${mb})`);
    // Without --size: not in the JSON, zero (and no value) in a template, as podman.
    expect(await env.ok(['inspect', 'sized'])).not.toMatch(/"SizeR(w|ootFs)"/);
    expect(await env.ok(['inspect', '--format', '{{.SizeRootFs}}', 'sized'])).toBe('0');
  });
});

describe('rm of an initialized container', () => {
  it('removes it without --force, as podman: its waiting shim and what runc created go too', async () => {
    const id = (await env.ok(['create', '--name', 'inited', '--network', 'none', 'busybox', 'sleep', '1000'])).trim();
    await env.ok(['init', 'inited']);
    const shimPid = Number(await env.ok(['inspect', '--format', '{{.State.ConmonPid}}', 'inited']));
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'inited'])).toBe('initialized');
    expect(runcState(id)).toBe('created');
    expect(await env.pman(['rm', 'inited'])).toEqual({ exitCode: 0, stdout: 'inited', stderr: '' });
    expect(await env.ok(['ps', '-a', '--format', '{{.Names}}'])).toBe('');
    expect(runcState(id)).toBe('none');
    await until(() => !alive(shimPid));
  });
});

describe('start --attach of a running container', () => {
  it('attaches to it, as podman: input reaches it, its output and exit code come back', async () => {
    await env.ok(['run', '-d', '-i', '--name', 'attached', '--network', 'none', 'busybox', 'sh', '-c', 'echo before; read x; echo "got $x"; echo err >&2; exit 3']);
    // Running and waiting for input (what it printed before is not replayed, as podman's attach).
    await until(async () => (await env.ok(['logs', 'attached'])) === 'before');
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'attached'])).toBe('running');
    expect(await env.pman(['start', '--attach', '--interactive', 'attached'], { input: 'hello\n' })).toEqual({ exitCode: 3, stdout: 'got hello', stderr: 'err' });
  });
});

describe('a flag taking a value, followed by a word with a dash', () => {
  it('takes that word as its value and refuses it as a name, as podman (one line, exit 125)', async () => {
    for (const name of ['-x', '--rm']) {
      expect(await env.pman(['run', '--name', name, '--network', 'none', 'busybox', 'true'])).toEqual({
        exitCode: 125,
        stdout: '',
        stderr: `Error: invalid container name "${name}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`,
      });
    }
    expect(await env.ok(['ps', '-a', '--format', '{{.Names}}'])).toBe('');
  });
});

describe('ps with a template naming a field that does not exist', () => {
  it('exits 0 printing nothing when no container is listed, 125 with one line once one is, as podman', async () => {
    expect(await env.pman(['ps', '-a', '--format', '{{.Nope}}'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    await env.ok(['create', '--name', 'listed', '--network', 'none', 'busybox', 'true']);
    expect(await env.pman(['ps', '--format', '{{.Nope}}'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(await env.pman(['ps', '-a', '--format', '{{.Nope}}'])).toEqual({ exitCode: 125, stdout: '', stderr: 'Error: invalid --format template "{{.Nope}}": field "Nope" does not exist' });
  });
});
