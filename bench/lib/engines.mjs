// The three things compared, behind one shape: pman and podman each in their own throw-away
// store (so a benchmark never touches the machine's images or containers), and raw runc on a
// prepared bundle as the floor that no manager can beat. All three run the same busybox rootfs,
// made by scripts/make-busybox-rootfs.sh.
import fs from 'node:fs';
import path from 'node:path';
import { BenchError, output, run } from './proc.mjs';

export const IMAGE = 'busybox';

/** podman as the task defines the comparison: runc, fixed ulimits, k8s-file logs; no network but where a benchmark compares networks. */
const PODMAN_FLAGS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--log-driver', 'k8s-file'];
export const PODMAN_RUN_FLAGS = ['--network', 'none', ...PODMAN_FLAGS];
/**
 * pman's containers join its default bridge network unless told otherwise (root), as podman's
 * do: the benchmarks that compare no-network runs say --network none to both.
 */
const PMAN_RUN_FLAGS = ['--network', 'none'];

export function createPman({ pmanPath, dir, tarball, log }) {
  if (!fs.existsSync(pmanPath)) {
    throw new BenchError(`Cannot use pman "${pmanPath}": file not found; build it (npm run build or ./install.sh), `
      + 'point PMAN=/path/to/pman at one, or leave pman out with --engines podman,runc');
  }
  const g = [pmanPath, '--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'runroot')];
  const started = new Set();
  const engine = {
    name: 'pman',
    global: g,
    runArgv: (cmd) => [...g, 'run', '--rm', ...PMAN_RUN_FLAGS, IMAGE, ...cmd],
    /** On the engine's default network (pman's default bridge). */
    bridgeRunArgv: (cmd) => [...g, 'run', '--rm', IMAGE, ...cmd],
    startDetached(name, cmd) {
      started.add(name);
      return output([...g, 'run', '-d', '--name', name, ...PMAN_RUN_FLAGS, IMAGE, ...cmd], { timeoutMs: 60_000 });
    },
    execArgv: (name, cmd) => [...g, 'exec', name, ...cmd],
    containerPid(name) {
      const r = run([...g, 'inspect', '--format', '{{.State.Pid}}', name], { capture: true, allowFail: true, timeoutMs: 30_000 });
      const pid = Number(r.stdout.trim());
      return r.code === 0 && pid > 0 ? pid : undefined;
    },
    remove(name) {
      run([...g, 'rm', '-f', name], { allowFail: true, timeoutMs: 60_000 });
      started.delete(name);
    },
    cleanup() {
      for (const name of [...started]) engine.remove(name);
    },
  };
  try {
    log(`pman: importing the rootfs into ${dir}`);
    run([...g, 'import', tarball, IMAGE], { timeoutMs: 120_000 });
    run(engine.runArgv(['true']), { timeoutMs: 60_000 });
  } catch (e) {
    throw new BenchError(`Cannot use pman "${pmanPath}": ${e.message}\n`
      + 'pman must import a rootfs tarball and run a container; to measure the others only, pass --engines podman,runc');
  }
  return engine;
}

/**
 * Empties a throw-away podman store and removes its directory. Never `podman system reset`: with
 * podman 4.3 it also removes every network in the host's /etc/containers/networks, whatever --root
 * says, and those belong to the user's own podman.
 */
export function wipePodmanStore(g, base, exec) {
  exec([...g, 'pod', 'rm', '-a', '-f', '-t', '0']);
  exec([...g, 'rm', '-a', '-f', '-t', '0']);
  exec([...g, 'rmi', '-a', '-f']);
  exec([...g, 'volume', 'rm', '-a', '-f']);
  const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((line) => line.split(' ')[4])
    .filter((m) => m && (m === base || m.startsWith(base + '/')))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) exec(['umount', '-l', m]);
  fs.rmSync(base, { recursive: true, force: true });
}

export function createPodman({ dir, tarball, log }) {
  const errors = [];
  // overlay is podman's default and what a user gets; vfs only where overlay cannot mount.
  for (const driver of ['overlay', 'vfs']) {
    const base = path.join(dir, driver);
    const g = ['podman', '--root', path.join(base, 'root'), '--runroot', path.join(base, 'runroot'),
      '--tmpdir', path.join(base, 'tmp'), '--storage-driver', driver, '--events-backend', 'file',
      '--cgroup-manager', 'cgroupfs', '--runtime', 'runc'];
    const engine = {
      name: 'podman',
      driver,
      global: g,
      runArgv: (cmd) => [...g, 'run', '--rm', ...PODMAN_RUN_FLAGS, IMAGE, ...cmd],
      /** On podman's default bridge network ("podman"). */
      bridgeRunArgv: (cmd) => [...g, 'run', '--rm', ...PODMAN_FLAGS, IMAGE, ...cmd],
      startDetached: (name, cmd) => output([...g, 'run', '-d', '--name', name, ...PODMAN_RUN_FLAGS, IMAGE, ...cmd], { timeoutMs: 60_000 }),
      execArgv: (name, cmd) => [...g, 'exec', name, ...cmd],
      conmonPid(name) {
        const pid = Number(output([...g, 'inspect', '--format', '{{.State.ConmonPid}}', name], { timeoutMs: 30_000 }));
        if (!(pid > 0)) throw new BenchError(`Cannot find conmon of podman container "${name}"`);
        return pid;
      },
      remove: (name) => run([...g, 'rm', '-f', '-t', '0', name], { allowFail: true, timeoutMs: 60_000 }),
      cleanup() {
        wipePodmanStore(g, base, (argv) => run(argv, { allowFail: true, timeoutMs: 120_000 }));
      },
    };
    try {
      log(`podman: importing the rootfs (storage driver ${driver})`);
      run([...g, 'import', tarball, IMAGE], { timeoutMs: 120_000 });
      run(engine.runArgv(['true']), { timeoutMs: 60_000 });
      return engine;
    } catch (e) {
      errors.push(`${driver}: ${e.message}`);
      engine.cleanup();
    }
  }
  throw new BenchError(`Cannot set up podman:\n${errors.join('\n')}`);
}

export function createRunc({ dir, tarball, log }) {
  const rootfs = path.join(dir, 'rootfs');
  const state = path.join(dir, 'state');
  fs.mkdirSync(rootfs, { recursive: true });
  fs.mkdirSync(state, { recursive: true });
  log('runc: preparing a bundle');
  run(['tar', '-xf', tarball, '-C', rootfs]);
  run(['runc', 'spec', '--bundle', dir]);
  const base = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  fs.rmSync(path.join(dir, 'config.json'));
  // Same shape as the managers' containers: writable root, no terminal, own namespaces (the
  // default spec already has pid, net, ipc, uts and mount namespaces and nofile 1024).
  base.process.terminal = false;
  base.root = { path: rootfs, readonly: false };

  const bundles = new Map();
  const live = new Set();
  const prefix = `pmanbench-${process.pid}`;
  const bundleFor = (cmd) => {
    const key = JSON.stringify(cmd);
    if (!bundles.has(key)) {
      const b = path.join(dir, `bundle-${bundles.size}`);
      fs.mkdirSync(b);
      fs.writeFileSync(path.join(b, 'config.json'), JSON.stringify({ ...base, process: { ...base.process, args: cmd } }));
      bundles.set(key, { dir: b, id: `${prefix}-${bundles.size}` });
    }
    return bundles.get(key);
  };
  const g = ['runc', '--root', state];
  const engine = {
    name: 'runc',
    global: g,
    // `runc run` in the foreground deletes the container when it exits, so one id per bundle is enough.
    runArgv(cmd) {
      const b = bundleFor(cmd);
      return [...g, 'run', '--bundle', b.dir, b.id];
    },
    startDetached(name, cmd) {
      const b = bundleFor(cmd);
      const id = `${prefix}-${name}`;
      live.add(id);
      // The detached container keeps runc's stdio: give it files, not pipes this process waits on.
      const errFile = path.join(dir, `${id}.stderr`);
      const fd = fs.openSync(errFile, 'w');
      try {
        run([...g, 'run', '-d', '--bundle', b.dir, id], { stdio: ['ignore', fd, fd], timeoutMs: 60_000 });
      } catch (e) {
        throw new BenchError(`${e.message}\n  ${fs.readFileSync(errFile, 'utf8').trim()}`);
      } finally {
        fs.closeSync(fd);
      }
      return id;
    },
    execArgv: (name, cmd) => [...g, 'exec', `${prefix}-${name}`, ...cmd],
    remove(name) {
      const id = `${prefix}-${name}`;
      run([...g, 'delete', '-f', id], { allowFail: true, timeoutMs: 60_000 });
      live.delete(id);
    },
    cleanup() {
      for (const id of [...live]) run([...g, 'delete', '-f', id], { allowFail: true, timeoutMs: 60_000 });
      for (const { id } of bundles.values()) run([...g, 'delete', '-f', id], { allowFail: true, timeoutMs: 60_000 });
      live.clear();
    },
  };
  run(engine.runArgv(['true']), { timeoutMs: 60_000 });
  return engine;
}
