// Rootless contenders: pman and podman run by the same unprivileged user through `runuser`, each in
// a throw-away store and runtime directory of that user (so each has its own user namespace and
// pause process, created during set-up, not during the measured runs).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { IMAGE, PODMAN_RUN_FLAGS } from './engines.mjs';
import { BenchError, run } from './proc.mjs';

/** podman's run flags without --network none: its default network (slirp4netns in podman 4). */
const PODMAN_DEFAULT_NETWORK_FLAGS = PODMAN_RUN_FLAGS.filter((f, i, all) => f !== '--network' && all[i - 1] !== '--network');
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The range a user created here gets: far above what useradd hands out (100000 + 65536 per user). */
const SUB_RANGE = '4131072:65536';

/**
 * The bench user, with a subordinate ID range: created when missing (like the rootless tests'
 * users), an existing user is used as it is. Returns its uid and gid.
 */
export function ensureBenchUser(name, log) {
  const id = (flag) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    id('-u');
  } catch {
    log(`rootless: creating the user ${name} with subordinate IDs ${SUB_RANGE}`);
    run(['useradd', '-M', '-s', '/usr/sbin/nologin', '-K', 'SUB_UID_COUNT=0', '-K', 'SUB_GID_COUNT=0', name]);
    for (const file of ['/etc/subuid', '/etc/subgid']) {
      run(['flock', '/tmp/pman-rootless-users.lock', 'sh', '-ec', `grep -q '^${name}:' ${file} || echo '${name}:${SUB_RANGE}' >> ${file}`]);
    }
  }
  for (const file of ['/etc/subuid', '/etc/subgid']) {
    if (!fs.readFileSync(file, 'utf8').split('\n').some((l) => l.startsWith(`${name}:`))) {
      throw new BenchError(`Cannot benchmark rootless as "${name}": no range in ${file}; add one or pick another user with --rootless-user`);
    }
  }
  return { uid: id('-u'), gid: id('-g') };
}

/** A HOME and an XDG_RUNTIME_DIR owned by the user under dir (which others may traverse). */
function userDirs(dir, user) {
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o711);
  const dirs = { home: path.join(dir, 'home'), xdg: path.join(dir, 'xdg') };
  for (const d of Object.values(dirs)) {
    fs.mkdirSync(d, { mode: 0o700 });
    fs.chownSync(d, user.uid, user.gid);
  }
  return dirs;
}

function asUser(name, dirs, argv) {
  return ['runuser', '-u', name, '--', 'env', '-i', `HOME=${dirs.home}`, `XDG_RUNTIME_DIR=${dirs.xdg}`, `PATH=${PATH}`, ...argv];
}

/** The tarball copied where the user can read it. */
function readableCopy(tarball, dir) {
  const copy = path.join(dir, path.basename(tarball));
  fs.copyFileSync(tarball, copy);
  fs.chmodSync(copy, 0o644);
  return copy;
}

/** Kills every process of the user's namespace(s) made under dirs.xdg that is still alive (by pid). */
function killLeftovers(user, marker) {
  for (const name of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      if (fs.statSync(`/proc/${name}`).uid !== user.uid) continue;
      if (!fs.readFileSync(`/proc/${name}/environ`, 'latin1').includes(marker)) continue;
      process.kill(Number(name), 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

export function createRootlessPman({ pmanPath, dir, tarball, user, log }) {
  const dirs = userDirs(dir, user);
  const g = (args) => asUser(user.name, dirs, [pmanPath, ...args]);
  const engine = {
    name: 'pman',
    // No network, as podman in the start-up comparison; the default network is measured apart.
    runArgv: (cmd) => g(['run', '--rm', '--network', 'none', IMAGE, ...cmd]),
    defaultNetworkArgv: (cmd) => g(['run', '--rm', IMAGE, ...cmd]),
    detachedArgv: (name, flags, cmd) => g(['run', '-d', '--name', name, ...flags, IMAGE, ...cmd]),
    argv: g,
    cleanup() {
      run(g(['rm', '-a', '-f', '-t', '0']), { allowFail: true, timeoutMs: 120_000 });
      run(g(['system', 'migrate']), { allowFail: true, timeoutMs: 120_000 });
      killLeftovers(user, `XDG_RUNTIME_DIR=${dirs.xdg}\0`);
    },
  };
  try {
    log(`rootless pman: importing the rootfs as ${user.name}`);
    run(g(['import', readableCopy(tarball, dir), IMAGE]), { timeoutMs: 120_000 });
    run(engine.runArgv(['true']), { timeoutMs: 60_000 });
  } catch (e) {
    engine.cleanup();
    throw new BenchError(`Cannot run pman rootless as "${user.name}": ${e.message}`);
  }
  return engine;
}

export function createRootlessPodman({ dir, tarball, user, log }) {
  const errors = [];
  // overlay (native, rootless) is what a user gets; vfs only where it cannot be used.
  for (const driver of ['overlay', 'vfs']) {
    const base = `${dir}-${driver.slice(0, 2)}`;
    const dirs = userDirs(base, user);
    const g = (args) => asUser(user.name, dirs, ['podman', '--root', path.join(dirs.home, 'storage'), '--runroot', path.join(dirs.xdg, 'c'),
      '--tmpdir', path.join(dirs.xdg, 't'), '--storage-driver', driver, '--events-backend', 'file',
      '--cgroup-manager', 'cgroupfs', '--runtime', 'runc', ...args]);
    const engine = {
      name: 'podman',
      driver,
      runArgv: (cmd) => g(['run', '--rm', ...PODMAN_RUN_FLAGS, IMAGE, ...cmd]),
      defaultNetworkArgv: (cmd) => g(['run', '--rm', ...PODMAN_DEFAULT_NETWORK_FLAGS, IMAGE, ...cmd]),
      detachedArgv: (name, flags, cmd) => g(['run', '-d', '--name', name, ...PODMAN_DEFAULT_NETWORK_FLAGS, ...flags, IMAGE, ...cmd]),
      argv: g,
      cleanup() {
        run(g(['rm', '-a', '-f', '-t', '0']), { allowFail: true, timeoutMs: 120_000 });
        // reset is safe here: HOME is this run's own directory, so it touches no network of the user's.
        run(g(['system', 'reset', '-f']), { allowFail: true, timeoutMs: 120_000 });
        run(g(['system', 'migrate']), { allowFail: true, timeoutMs: 120_000 });
        killLeftovers(user, `XDG_RUNTIME_DIR=${dirs.xdg}\0`);
      },
    };
    try {
      log(`rootless podman: importing the rootfs as ${user.name} (storage driver ${driver})`);
      run(g(['import', readableCopy(tarball, base), IMAGE]), { timeoutMs: 120_000 });
      run(engine.runArgv(['true']), { timeoutMs: 60_000 });
      return engine;
    } catch (e) {
      errors.push(`${driver}: ${e.message}`);
      engine.cleanup();
    }
  }
  throw new BenchError(`Cannot set up rootless podman as "${user.name}":\n${errors.join('\n')}`);
}

/**
 * Runs fn(engines, user) with rootless pman and podman set up for the bench user in throw-away
 * directories under /tmp/<prefix>* (short paths: podman refuses a runroot over 50 characters; the
 * user may pass through, not list), and removes them afterwards, also when run.mjs exits on a
 * signal in the middle.
 */
export async function withRootlessEngines({ opts, log, tarball }, prefix, fn) {
  const user = { name: opts.rootlessUser, ...ensureBenchUser(opts.rootlessUser, log) };
  const dir = fs.mkdtempSync(`/tmp/${prefix}`);
  fs.chmodSync(dir, 0o711);
  const engines = [];
  const cleanup = () => {
    for (const e of engines.splice(0)) {
      try {
        e.cleanup();
      } catch (err) {
        log(`cleanup of rootless ${e.name}: ${err.message}`);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  try {
    engines.push(createRootlessPman({ pmanPath: opts.pman, dir: path.join(dir, 'm'), tarball, user, log }));
    engines.push(createRootlessPodman({ dir: path.join(dir, 'p'), tarball, user, log }));
    return await fn(engines, user);
  } finally {
    cleanup();
    process.removeListener('exit', cleanup);
  }
}
