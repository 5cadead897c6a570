// Process options proven with real containers: --init reaping orphans, stop signal and timeout,
// restart policies carried out by the shim, pman port, and pman cp (also against a container
// that races symlinks to escape).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PMAN_BIN, TestEnv, sleep, until } from '../harness.js';
import { makeTar } from '../../unit/archive/fixtures.js';
import { ptyCommandThen } from '../pty.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

/** Zombie children of a host pid. */
function zombieChildren(pid: string): number {
  let n = 0;
  for (const d of fs.readdirSync('/proc').filter((x) => /^[0-9]+$/.test(x))) {
    try {
      const st = fs.readFileSync(`/proc/${d}/status`, 'utf8');
      if (new RegExp(`^PPid:\\s+${pid}$`, 'm').test(st) && /^State:\s+Z/m.test(st)) n++;
    } catch {
      /* gone */
    }
  }
  return n;
}

describe('--init', () => {
  // Orphans re-parent to PID 1; `exec sleep` makes PID 1 a program that never waits for them.
  const orphans = ['sh', '-c', '(sleep 0.1 &); (sleep 0.1 &); exec sleep 100'];

  it('runs catatonit as PID 1, which reaps orphaned zombies (they pile up without it)', async () => {
    try {
      await env.ok(['run', '-d', '--name', 'no-init', 'busybox', ...orphans]);
      await env.ok(['run', '-d', '--name', 'with-init', '--init', 'busybox', ...orphans]);
      const bare = await env.ok(['inspect', '--format', '{{.State.Pid}}', 'no-init']);
      const init = await env.ok(['inspect', '--format', '{{.State.Pid}}', 'with-init']);
      expect(await until(() => zombieChildren(bare) === 2, 5000)).toBe(true);
      await sleep(500);
      expect(zombieChildren(init)).toBe(0);
      expect(fs.readFileSync(`/proc/${init}/cmdline`, 'utf8').split('\0')[0]).toBe('/run/podman-init');
      expect(await env.ok(['inspect', '--format', '{{.HostConfig.Init}}', 'with-init'])).toBe('true');
    } finally {
      await env.pman(['rm', '-f', '-t', '0', 'no-init', 'with-init']);
    }
  });

  it('forwards the stop signal to the command', async () => {
    // The command's own TERM trap answers, with its own exit code: the signal reached it through
    // catatonit. Without forwarding, stop would wait out its 5 s and kill with 137.
    const script = 'trap "echo got-TERM; exit 3" TERM; echo ready; while true; do sleep 0.1; done';
    try {
      await env.ok(['run', '-d', '--name', 'fwd-init', '--init', 'busybox', 'sh', '-c', script]);
      expect(await until(async () => (await env.ok(['logs', 'fwd-init'])) === 'ready')).toBe(true);
      const pid = await env.ok(['inspect', '--format', '{{.State.Pid}}', 'fwd-init']);
      expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]).toBe('/run/podman-init');
      expect(await env.pman(['stop', '-t', '5', 'fwd-init'])).toEqual({ exitCode: 0, stdout: 'fwd-init', stderr: '' });
      expect(await env.ok(['inspect', '--format', '{{.State.ExitCode}}', 'fwd-init'])).toBe('3');
      expect(await env.ok(['logs', 'fwd-init'])).toBe('ready\ngot-TERM');
    } finally {
      await env.pman(['rm', '-f', '-t', '0', 'fwd-init']);
    }
  });
});

describe('stop signal and timeout', () => {
  it('sends --stop-signal on stop', async () => {
    await env.ok(['run', '-d', '--name', 'usr1', '--stop-signal', 'SIGUSR1', 'busybox', 'sh', '-c', "trap 'exit 7' USR1; while true; do sleep 0.1; done"]);
    await env.ok(['stop', 'usr1']);
    expect(await env.ok(['inspect', '--format', '{{.State.ExitCode}} {{.Config.StopSignal}}', 'usr1'])).toBe('7 SIGUSR1');
    await env.ok(['rm', 'usr1']);
  });

  it('kills after --stop-timeout when the signal is ignored', async () => {
    // The trap catches TERM and carries on, so only the KILL that follows can end it: the log shows
    // the TERM arrived first, the exit code shows the KILL ended it.
    const script = "trap 'echo got-TERM' TERM; echo ready; while true; do sleep 0.1; done";
    try {
      await env.ok(['run', '-d', '--name', 'stubborn', '--stop-timeout', '1', 'busybox', 'sh', '-c', script]);
      expect(await until(async () => (await env.ok(['logs', 'stubborn'])) === 'ready')).toBe(true);
      const r = await env.pman(['stop', 'stubborn']);
      expect(r).toEqual({ exitCode: 0, stdout: 'stubborn', stderr: 'WARN: StopSignal SIGTERM failed to stop container stubborn in 1 seconds, resorting to SIGKILL' });
      expect(await env.ok(['logs', 'stubborn'])).toBe('ready\ngot-TERM');
      expect(await env.ok(['inspect', '--format', '{{.State.ExitCode}} {{.Config.StopTimeout}}', 'stubborn'])).toBe('137 1');
    } finally {
      await env.pman(['rm', '-f', '-t', '0', 'stubborn']);
    }
  });
});

describe('restart policies', () => {
  it('on-failure:N restarts a crashing container N times, then leaves it exited', async () => {
    const r = await env.pman(['run', '--name', 'crasher', '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'echo run; exit 3']);
    expect(r.exitCode).toBe(3);
    const done = await until(async () => (await env.ok(['inspect', '--format', '{{.RestartCount}} {{.State.Status}}', 'crasher'])) === '2 exited' && (await env.ok(['logs', 'crasher'])).split('\n').length === 3, 15000, 200);
    expect(done).toBe(true);
    await sleep(1500); // no third restart comes
    expect(await env.ok(['logs', 'crasher'])).toBe('run\nrun\nrun');
    expect(await env.ok(['inspect', '--format', '{{.State.ExitCode}} {{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}', 'crasher'])).toBe('3 on-failure:2');
    await env.ok(['rm', 'crasher']);
  });

  it('on-failure does not restart a clean exit', async () => {
    await env.ok(['run', '--name', 'clean', '--restart', 'on-failure', 'busybox', 'true']);
    await sleep(600);
    expect(await env.ok(['inspect', '--format', '{{.RestartCount}} {{.State.Status}}', 'clean'])).toBe('0 exited');
    await env.ok(['rm', 'clean']);
  });

  it('always keeps restarting until pman stop, which ends it for good', async () => {
    await env.ok(['run', '-d', '--name', 'looper', '--restart', 'always', 'busybox', 'sh', '-c', 'sleep 0.2']);
    expect(await until(async () => Number(await env.ok(['inspect', '--format', '{{.RestartCount}}', 'looper'])) >= 2, 15000, 200)).toBe(true);
    await env.ok(['stop', '-t', '1', 'looper']);
    const count = await env.ok(['inspect', '--format', '{{.RestartCount}}', 'looper']);
    await sleep(1500);
    expect(await env.ok(['inspect', '--format', '{{.RestartCount}} {{.State.Status}}', 'looper'])).toBe(`${count} exited`);
    // A later start runs it again under its policy, counting from zero.
    await env.ok(['start', 'looper']);
    expect(await until(async () => Number(await env.ok(['inspect', '--format', '{{.RestartCount}}', 'looper'])) >= 1, 15000, 200)).toBe(true);
    await env.ok(['rm', '-f', '-t', '0', 'looper']);
  });

  it('rm -f removes a container while its restart policy hands it to the next shim, leaving no mount', async () => {
    // `true` exits at once, so the container is almost always between one run and the next (the
    // record says exited while the next shim mounts and starts it): rm -f must wait for that run,
    // stop it and remove everything, not fail on a root filesystem being mounted under it.
    for (let i = 0; i < 5; i++) {
      const name = `churn${i}`;
      const id = await env.ok(['run', '-d', '--name', name, '--restart', 'always', 'busybox', 'true']);
      expect(await until(async () => Number(await env.ok(['inspect', '--format', '{{.RestartCount}}', name])) >= 1, 15000, 20)).toBe(true);
      const r = await env.pman(['rm', '-f', '-t', '0', name]);
      expect({ code: r.exitCode, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      expect((await env.pman(['inspect', '--format', '{{.Id}}', name])).stderr).toContain(`no such object: "${name}"`);
      expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(id);
    }
  });

  it('refuses --restart together with --rm', async () => {
    const r = await env.pman(['run', '--rm', '--restart', 'always', 'busybox', 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/--rm option conflicts with --restart/);
  });
});

describe('pman port', () => {
  it('prints nothing for a container (no networks publish ports yet)', async () => {
    await env.ok(['create', '--name', 'ported', 'busybox', 'true']);
    expect(await env.pman(['port', 'ported'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect((await env.pman(['port', 'ported', '80'])).stderr).toMatch(/failed to find published port "80\/tcp"/);
    expect((await env.pman(['port', 'nosuch'])).exitCode).toBe(125);
    await env.ok(['rm', 'ported']);
  });
});

describe('pman cp', () => {
  let src: string;
  beforeAll(async () => {
    src = path.join(env.dir, 'src');
    fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(src, 'a.txt'), 'A\n');
    fs.writeFileSync(path.join(src, 'sub/b.txt'), 'B\n');
    fs.symlinkSync('a.txt', path.join(src, 'link'));
    await env.ok(['run', '-d', '--name', 'box', '-u', '1000:1000', '-v', 'cpvol:/vol', 'busybox', 'sleep', '1000']);
  });
  afterAll(async () => {
    await env.pman(['rm', '-f', '-t', '0', 'box']);
  });

  /** The copies into box that the tests below read back (each test makes them: none relies on another). */
  async function seedBox(): Promise<void> {
    await env.ok(['cp', src, 'box:/tmp/']);
    await env.ok(['cp', path.join(src, 'a.txt'), 'box:/tmp/renamed.txt']);
    await env.ok(['cp', `${src}/.`, 'box:/vol']);
  }

  it('copies files and directories into a running container, owned by its user', async () => {
    await seedBox();
    const r = await env.pman(['exec', 'box', 'sh', '-c', 'cat /tmp/src/sub/b.txt /tmp/renamed.txt /vol/a.txt; readlink /tmp/src/link; stat -c %u:%g /tmp/src/sub/b.txt']);
    expect(r.stdout).toBe('B\nA\nA\na.txt\n1000:1000');
  });

  it('copies out of a container, owned by the caller', async () => {
    await seedBox();
    const dest = path.join(env.dir, 'out');
    await env.ok(['cp', 'box:/tmp/src', dest]);
    expect(fs.readFileSync(path.join(dest, 'sub/b.txt'), 'utf8')).toBe('B\n');
    expect(fs.statSync(path.join(dest, 'a.txt')).uid).toBe(process.getuid!());
    expect(fs.readlinkSync(path.join(dest, 'link'))).toBe('a.txt');
  });

  it('works on a stopped container, its volumes included', async () => {
    await seedBox();
    await env.ok(['stop', '-t', '0', 'box']);
    try {
      await env.ok(['cp', path.join(src, 'a.txt'), 'box:/stopped.txt']);
      const out = path.join(env.dir, 'from-stopped');
      fs.mkdirSync(out);
      await env.ok(['cp', 'box:/stopped.txt', out]);
      await env.ok(['cp', 'box:/vol/sub/b.txt', out]);
      expect(fs.readdirSync(out).sort()).toEqual(['b.txt', 'stopped.txt']);
      const r = await env.pman(['cp', 'box:/nothing/here', out]);
      expect(r.exitCode).toBe(125);
      expect(r.stderr).toMatch(/"\/nothing\/here" could not be found on container box/);
    } finally {
      await env.ok(['start', 'box']);
    }
  });

  it('resolves symlinks inside the container when copying in, never on the host', async () => {
    // /abs and /rel lead to a path that exists both in the container and on the host: the copies
    // must land in the container's. /gone leads to a path only the host has: nowhere to land.
    const victim = path.join(env.dir, 'victim');
    const hostOnly = path.join(env.dir, 'victim-host-only');
    fs.mkdirSync(victim);
    fs.mkdirSync(hostOnly);
    const links = `[ -e /ready ] || { mkdir -p ${victim}; ln -s ${victim} /abs; ln -s ../../../../../../..${victim} /rel; ln -s ${hostOnly} /gone; touch /ready; }; sleep 1000`;
    try {
      await env.ok(['run', '-d', '--name', 'hostile', 'busybox', 'sh', '-c', links]);
      expect(await until(async () => (await env.pman(['exec', 'hostile', 'test', '-e', '/ready'])).exitCode === 0)).toBe(true);
      expect(await env.pman(['cp', path.join(src, 'a.txt'), 'hostile:/abs/planted'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect(await env.pman(['cp', path.join(src, 'a.txt'), 'hostile:/rel/planted2'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect(await env.pman(['cp', path.join(src, 'a.txt'), 'hostile:/gone/planted3'])).toEqual({
        exitCode: 125,
        stdout: '',
        stderr: 'Error: "/gone/planted3" could not be found on container hostile: no such file or directory',
      });
      expect(await env.ok(['exec', 'hostile', 'sh', '-c', `ls ${victim}; cat ${victim}/planted ${victim}/planted2`])).toBe('planted\nplanted2\nA\nA');
      expect(fs.readdirSync(victim)).toEqual([]);
      expect(fs.readdirSync(hostOnly)).toEqual([]);
      // Stopped, the container is reached through its overlay mounted on the host, where no mount
      // namespace stops ".." at its root: the resolution alone must.
      await env.ok(['stop', '-t', '0', 'hostile']);
      await env.ok(['cp', path.join(src, 'a.txt'), 'hostile:/abs/stopped']);
      await env.ok(['cp', path.join(src, 'a.txt'), 'hostile:/rel/stopped2']);
      expect(fs.readdirSync(victim)).toEqual([]);
      await env.ok(['start', 'hostile']);
      expect(await env.ok(['exec', 'hostile', 'ls', victim])).toBe('planted\nplanted2\nstopped\nstopped2');
    } finally {
      await env.pman(['rm', '-f', '-t', '0', 'hostile']);
    }
  });

  it('resolves symlinks inside the container when copying out, never on the host', async () => {
    // The host holds a secret at the same path as the container's own key: only the container's
    // may come out. A symlink named as the source itself comes out as that symlink, unfollowed.
    const secret = path.join(env.dir, 'secret');
    const hostOnly = path.join(env.dir, 'secret-host-only');
    for (const d of [secret, hostOnly]) {
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, 'key'), 'HOST SECRET\n');
    }
    const rel = `../../../../../../..${secret}/key`;
    const links = `mkdir -p ${secret}; echo container-key > ${secret}/key; ln -s ${secret} /abs; ln -s ${rel} /relkey; ln -s ../../../../../../..${secret} /rel; ln -s ${hostOnly} /gone; touch /ready; sleep 1000`;
    const out = path.join(env.dir, 'out-hostile');
    fs.mkdirSync(out);
    try {
      await env.ok(['run', '-d', '--name', 'hostile-out', 'busybox', 'sh', '-c', links]);
      expect(await until(async () => (await env.pman(['exec', 'hostile-out', 'test', '-e', '/ready'])).exitCode === 0)).toBe(true);
      await env.ok(['cp', 'hostile-out:/abs/key', path.join(out, 'abs-key')]);
      await env.ok(['cp', 'hostile-out:/rel/key', path.join(out, 'rel-key')]);
      await env.ok(['cp', 'hostile-out:/abs/.', path.join(out, 'abs-dir')]);
      await env.ok(['cp', 'hostile-out:/relkey', path.join(out, 'relkey')]);
      expect(fs.readFileSync(path.join(out, 'abs-key'), 'utf8')).toBe('container-key\n');
      expect(fs.readFileSync(path.join(out, 'rel-key'), 'utf8')).toBe('container-key\n');
      expect(fs.readdirSync(path.join(out, 'abs-dir'))).toEqual(['key']);
      expect(fs.readFileSync(path.join(out, 'abs-dir/key'), 'utf8')).toBe('container-key\n');
      expect(fs.readlinkSync(path.join(out, 'relkey'))).toBe(rel);
      const tar = execFileSync(PMAN_BIN, env.args(['cp', 'hostile-out:/abs/key', '-']));
      expect(execFileSync('tar', ['-xOf', '-', 'key'], { input: tar }).toString()).toBe('container-key\n');
      expect(await env.pman(['cp', 'hostile-out:/gone/key', path.join(out, 'gone')])).toEqual({
        exitCode: 125,
        stdout: '',
        stderr: 'Error: "/gone/key" could not be found on container hostile-out: no such file or directory',
      });
      // "/gone/." follows /gone itself, to nothing.
      expect(await env.pman(['cp', 'hostile-out:/gone/.', path.join(out, 'gone')])).toEqual({
        exitCode: 125,
        stdout: '',
        stderr: 'Error: cannot copy "hostile-out:/gone": no such file or directory',
      });
      expect(fs.readdirSync(out).sort()).toEqual(['abs-dir', 'abs-key', 'rel-key', 'relkey']);
    } finally {
      await env.pman(['rm', '-f', '-t', '0', 'hostile-out']);
    }
  });

  it('writes a tar archive of a container path to standard output with "-"', async () => {
    await seedBox();
    const list = (args: string[]) => {
      const tar = execFileSync(PMAN_BIN, env.args(['cp', ...args]), { maxBuffer: 16 << 20 });
      return execFileSync('tar', ['-tvf', '-'], { input: tar }).toString().trim().split('\n').map((l) => l.split(/\s+/).slice(5).join(' ')).sort();
    };
    expect(list(['box:/tmp/src', '-'])).toEqual(['src/', 'src/a.txt', 'src/link -> a.txt', 'src/sub/', 'src/sub/b.txt']);
    expect(list(['box:/tmp/src/.', '-'])).toEqual(['a.txt', 'link -> a.txt', 'sub/', 'sub/b.txt']);
    const one = execFileSync(PMAN_BIN, env.args(['cp', 'box:/tmp/renamed.txt', '-']));
    expect(execFileSync('tar', ['-xOf', '-', 'renamed.txt'], { input: one }).toString()).toBe('A\n');
    const missing = await env.pman(['cp', 'box:/no/such', '-']);
    expect([missing.exitCode, missing.stdout, missing.stderr]).toEqual([125, '', 'Error: "/no/such" could not be found on container box: no such file or directory']);
  });

  it('unpacks a tar archive from standard input into a container directory with "-"', async () => {
    const tarFile = path.join(env.dir, 'in.tar');
    execFileSync('tar', ['-C', src, '-cf', tarFile, '.']);
    await env.ok(['exec', 'box', 'mkdir', '/tmp/fromtar']);
    await env.ok(['cp', '-', 'box:/tmp/fromtar'], { inputFile: tarFile });
    execFileSync('gzip', ['-kf', tarFile]);
    await env.ok(['exec', 'box', 'mkdir', '/tmp/fromgz']);
    await env.ok(['cp', '-', 'box:/tmp/fromgz'], { inputFile: `${tarFile}.gz` });
    const r = await env.pman(['exec', 'box', 'sh', '-c', 'cat /tmp/fromtar/sub/b.txt /tmp/fromgz/a.txt; readlink /tmp/fromtar/link; stat -c %u:%g /tmp/fromtar/a.txt']);
    expect(r.stdout).toBe('B\nA\na.txt\n1000:1000');
    // --archive=false keeps the archive's owners; ".wh." names are plain files here, not whiteouts.
    const owned = makeTar(path.join(env.dir, 'owned.tar'), [{ name: 'mine.txt', data: 'm', uid: 4321, gid: 8765 }, { name: '.wh.keep', data: 'k' }]);
    await env.ok(['cp', '--archive=false', '-', 'box:/tmp/fromtar'], { inputFile: owned });
    expect((await env.pman(['exec', 'box', 'sh', '-c', 'stat -c %u:%g /tmp/fromtar/mine.txt; cat /tmp/fromtar/.wh.keep'])).stdout).toBe('4321:8765\nk');
  });

  it('refuses a hostile archive or a destination that is not a directory, writing nothing', async () => {
    const victim = path.join(env.dir, 'victim-tar');
    fs.mkdirSync(victim);
    const hostile = makeTar(path.join(env.dir, 'hostile.tar'), [
      { name: 'esc', type: 'symlink', linkname: victim },
      { name: 'esc/planted', data: 'x' },
    ]);
    const r = await env.pman(['cp', '-', 'box:/tmp'], { inputFile: hostile });
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/^Error: cannot copy from standard input: unsafe archive entry "esc\/planted"/);
    expect(fs.readdirSync(victim)).toEqual([]);
    expect((await env.pman(['exec', 'box', 'ls', '/tmp/esc'])).exitCode).not.toBe(0);
    const tarFile = path.join(env.dir, 'refused.tar');
    execFileSync('tar', ['-C', src, '-cf', tarFile, '.']);
    await env.ok(['exec', 'box', 'touch', '/tmp/plain.txt']);
    const file = await env.pman(['cp', '-', 'box:/tmp/plain.txt'], { inputFile: tarFile });
    expect([file.exitCode, file.stderr]).toEqual([125, 'Error: cannot copy a tar archive to "box:/tmp/plain.txt": it is not a directory; give an existing directory']);
    const missing = await env.pman(['cp', '-', 'box:/tmp/nodir'], { inputFile: tarFile });
    expect([missing.exitCode, missing.stderr]).toEqual([125, 'Error: cannot copy a tar archive to "box:/tmp/nodir": no such directory; give an existing directory']);
    // A terminal is neither a place for a tar archive nor a source of one.
    for (const args of ['box:/tmp/plain.txt -', '- box:/tmp']) {
      const r = await ptyCommandThen(env, `pman cp ${args}`);
      expect(r.status).toBe(125);
      expect(r.output).toMatch(/^Error: refusing to (write a tar archive to|read a tar archive from) a terminal: redirect standard (output|input[^\r\n]*)\r?\nrc=125/);
    }
    const empty = await env.pman(['cp', '-', 'box:/tmp'], { input: '' });
    expect([empty.exitCode, empty.stderr]).toEqual([125, 'Error: cannot copy from standard input: standard input holds no tar archive: pipe one in, e.g. tar -cf - DIR | pman cp - CONTAINER:DIR']);
    const both = await env.pman(['cp', '-', '-']);
    expect([both.exitCode, both.stderr]).toEqual([125, 'Error: one of the paths must be in a container (CONTAINER:PATH)']);
  });

  it('writes nothing outside the container while the container swaps a directory for a symlink', async () => {
    // In the container a loop renames /race/d back and forth between a real directory (/race/dir)
    // and a symlink (/race/lnk) to a path that exists both in the container and on the host, so
    // each copy to /race/d/NAME meets one of three states: the directory (the copy lands in it), the
    // symlink (read inside the container: the copy lands in the container's copy of the path), or
    // nothing between two renames (refused). Every outcome is checked with the loop stopped between
    // batches, and batches go on until both landings were seen: the swaps did race the copies.
    const victim = path.join(env.dir, 'victim2');
    fs.mkdirSync(victim);
    const setup = `mkdir -p /race/dir ${victim}; ln -s ${victim} /race/lnk; touch /ready; exec sleep 1000`;
    const swap = 'rm -f /stop /stopped; while [ ! -e /stop ]; do mv /race/dir /race/d; mv /race/d /race/dir; mv /race/lnk /race/d; mv /race/d /race/lnk; done; touch /stopped';
    const seen = { dir: 0, link: 0, refused: 0 };
    try {
      await env.ok(['run', '-d', '--name', 'racer', 'busybox', 'sh', '-c', setup]);
      expect(await until(async () => (await env.pman(['exec', 'racer', 'test', '-e', '/ready'])).exitCode === 0)).toBe(true);
      for (let batch = 0; batch < 12 && !(seen.dir > 0 && seen.link > 0); batch++) {
        await env.ok(['exec', '-d', 'racer', 'sh', '-c', swap]);
        const names: string[] = [];
        const refused = new Set<string>();
        for (let i = 0; i < 8; i++) {
          // Files and directories, both copied in under a new name.
          const name = `${i % 2 ? 'd' : 'f'}${batch}-${i}`;
          names.push(name);
          const r = await env.pman(['cp', path.join(src, i % 2 ? 'sub' : 'a.txt'), `racer:/race/d/${name}`]);
          if (r.exitCode === 0) {
            expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '' });
            continue;
          }
          expect(r).toEqual({ exitCode: 125, stdout: '', stderr: `Error: "/race/d/${name}" could not be found on container racer: no such file or directory` });
          refused.add(name);
        }
        await env.ok(['exec', 'racer', 'touch', '/stop']);
        expect(await until(async () => (await env.pman(['exec', 'racer', 'test', '-e', '/stopped'])).exitCode === 0)).toBe(true);
        const listed = await env.ok(['exec', 'racer', 'sh', '-c', `echo dir $(ls -A /race/dir); echo link $(ls -A ${victim})`]);
        const [inDir, inLink] = listed.split('\n').map((l) => l.split(' ').slice(1));
        expect(fs.readdirSync(victim)).toEqual([]);
        for (const name of names) {
          const where = [inDir.includes(name) && 'dir', inLink.includes(name) && 'link', refused.has(name) && 'refused'].filter(Boolean);
          expect([name, where]).toEqual([name, [expect.any(String)]]);
          seen[where[0] as keyof typeof seen]++;
        }
        expect([...inDir, ...inLink].filter((n) => !names.includes(n))).toEqual([]);
        await env.ok(['exec', 'racer', 'sh', '-c', `rm -rf /race/dir/* ${victim}/*`]);
      }
      expect(seen.dir).toBeGreaterThan(0);
      expect(seen.link).toBeGreaterThan(0);
    } finally {
      await env.pman(['rm', '-f', '-t', '0', 'racer']);
    }
  });
});
