// The state must tell the truth after crashes: a shim or container killed -9, a wiped runtime
// directory (reboot), a corrupt record; and stay consistent under concurrent commands.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv, until } from './harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

const inspect = async (name: string, f: string) => (await env.pman(['inspect', '--format', f, name])).stdout;

describe('reconciliation', () => {
  it('records the status when the container process is killed -9 from the host', async () => {
    await env.ok(['run', '-d', '--name', 'k9', 'busybox', 'sleep', '1000']);
    process.kill(Number(await inspect('k9', '{{.State.Pid}}')), 'SIGKILL');
    expect(await env.ok(['wait', 'k9'])).toBe('137');
    expect(await inspect('k9', '{{.State.Status}}')).toBe('exited');
  });

  it('shows the truth when the shim is killed -9, and rm -f cleans up', async () => {
    const id = (await env.ok(['run', '-d', '--name', 'shim9', 'busybox', 'sleep', '1000'])).trim();
    const ctrPid = Number(await inspect('shim9', '{{.State.Pid}}'));
    const shimPid = Number(await inspect('shim9', '{{.State.ConmonPid}}'));
    process.kill(shimPid, 'SIGKILL');
    await until(() => !fs.existsSync(`/proc/${shimPid}/cmdline`) || fs.readFileSync(`/proc/${shimPid}/stat`, 'utf8').includes(') Z'));
    const ps = await env.ok(['ps', '-a', '--format', '{{.Names}} {{.State}}', '--filter', 'name=shim9']);
    expect(ps).toBe('shim9 exited');
    expect(await inspect('shim9', '{{.State.Error}}')).toMatch(/shim .* died/);
    // The orphaned container process was killed, not left running without a supervisor.
    expect(await until(() => !fs.existsSync(`/proc/${ctrPid}`) || fs.readFileSync(`/proc/${ctrPid}/stat`, 'utf8').includes(') Z'))).toBe(true);
    // Nobody runs it: its root is unmounted with the reconciliation, not only by rm.
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(id);
    await env.ok(['rm', '-f', 'shim9']);
    expect(fs.existsSync(path.join(env.root, 'containers', id))).toBe(false);
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(id);
  });

  it('shows the truth after the runtime directory was wiped (as after a reboot)', async () => {
    const other = await TestEnv.create();
    try {
      await other.ok(['run', '-d', '--name', 'boot', 'busybox', 'sleep', '1000']);
      const shimPid = Number((await other.pman(['inspect', '--format', '{{.State.ConmonPid}}', 'boot'])).stdout);
      const ctrPid = Number((await other.pman(['inspect', '--format', '{{.State.Pid}}', 'boot'])).stdout);
      // A reboot kills every process, drops every mount (the container's network namespace is
      // one, under the runtime directory) and empties the tmpfs.
      process.kill(shimPid, 'SIGKILL');
      process.kill(ctrPid, 'SIGKILL');
      for (const m of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4])) {
        if (m?.startsWith(`${other.runroot}/`)) execFileSync('umount', ['-l', m]);
      }
      fs.rmSync(other.runroot, { recursive: true, force: true });
      await until(() => !fs.existsSync(`/proc/${shimPid}`));
      expect(await other.ok(['ps', '-a', '--format', '{{.Names}} {{.State}}'])).toBe('boot exited');
      // And the container can be started again from that state.
      await other.ok(['start', 'boot']);
      expect((await other.pman(['inspect', '--format', '{{.State.Status}}', 'boot'])).stdout).toBe('running');
    } finally {
      await other.cleanup();
    }
  });

  it('reports a corrupt record with one line naming the file, and damages nothing else', async () => {
    const id = (await env.ok(['create', '--name', 'corrupt', 'busybox', 'true'])).trim();
    await env.ok(['create', '--name', 'healthy', 'busybox', 'true']);
    const file = path.join(env.root, 'containers', id, 'container.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 50));
    const r = await env.pman(['start', 'corrupt']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain(file);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const ps = await env.pman(['ps', '-a', '--format', '{{.Names}}']);
    expect(ps.exitCode).toBe(0);
    expect(ps.stdout.split('\n')).toContain('healthy');
    expect(ps.stderr).toContain(file);
    expect(await inspect('healthy', '{{.State.Status}}')).toBe('created');
  });

  it('reports a record that fails validation, naming the field', async () => {
    const id = (await env.ok(['create', '--name', 'invalid', 'busybox', 'true'])).trim();
    const file = path.join(env.root, 'containers', id, 'container.json');
    const rec = JSON.parse(fs.readFileSync(file, 'utf8'));
    rec.state.status = 'flying';
    fs.writeFileSync(file, JSON.stringify(rec));
    const r = await env.pman(['start', 'invalid']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/invalid \(\/state\/status/);
  });
});

describe('concurrency', () => {
  it('20 parallel run -d with distinct names all succeed with consistent state', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `par${i}`);
    const results = await Promise.all(names.map((n) => env.pman(['run', '-d', '--name', n, 'busybox', 'sleep', '1000'])));
    results.forEach((r) => expect(r.exitCode).toBe(0));
    const running = (await env.ok(['ps', '--filter', 'name=^par', '--format', '{{.Names}}'])).split('\n').sort();
    expect(running).toEqual([...names].sort());
    const rm = await env.pman(['rm', '-f', '-t', '0', ...names]);
    expect(rm.exitCode).toBe(0);
  }, 180_000);

  it('20 parallel create --name same: exactly one succeeds, the others get name in use', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => env.pman(['create', '--name', 'same', 'busybox', 'true'])));
    expect(results.filter((r) => r.exitCode === 0)).toHaveLength(1);
    const failed = results.filter((r) => r.exitCode !== 0);
    expect(failed).toHaveLength(19);
    failed.forEach((r) => {
      expect(r.exitCode).toBe(125);
      expect(r.stderr).toMatch(/name "same" is already in use/);
    });
    expect((await env.ok(['ps', '-a', '--filter', 'name=^same$', '--format', '{{.Names}}']))).toBe('same');
  }, 120_000);

  it('never takes a name over from a create still in progress, only from a crashed one', async () => {
    // The moment that raced: a name reserved for an ID whose record is not written yet.
    const id = 'c'.repeat(64);
    fs.mkdirSync(path.join(env.root, 'names'), { recursive: true });
    fs.symlinkSync(id, path.join(env.root, 'names', 'midway'));
    const marker = path.join(env.root, 'containers', `.creating-${id}`);
    fs.mkdirSync(path.dirname(marker), { recursive: true });
    // Created by a live process (this test's own: its pid and start time, as pman writes them).
    const start = fs.readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ')[19];
    fs.writeFileSync(marker, `${process.pid} ${start}\n`);
    const taken = await env.pman(['create', '--name', 'midway', 'busybox', 'true']);
    expect([taken.exitCode, taken.stderr]).toEqual([125, `Error: the container name "midway" is already in use by ${id.slice(0, 12)}: remove that container or choose another name`]);
    // The creating process died (same pid, another start time): a leftover, taken over.
    fs.writeFileSync(marker, `${process.pid} 1\n`);
    expect((await env.pman(['create', '--name', 'midway', 'busybox', 'true'])).exitCode).toBe(0);
    expect(fs.existsSync(marker)).toBe(false);
    await env.ok(['rm', 'midway']);
  });
});
