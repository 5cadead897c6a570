// install.sh as a new machine meets it: a checkout only root can read (as a clone in /root is),
// installed with the build this test run compiled (--no-build) into a temporary prefix, never the
// machine's /usr/local. An unprivileged user runs the installed pman; a second run changes
// nothing; --uninstall removes what was installed and keeps the store; a fresh install works
// again; the manual pages render without warnings and the completion completes.
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { busyboxTarball, PROJECT } from './harness.js';
import { ensureUsers, RootlessEnv, USER1 } from './rootless/rootless-env.js';

/** install.sh imports the default image and copies the build: slow on a busy machine. */
const SLOW = 240_000;

let dir: string;
let checkout: string;
let prefix: string;
let store: string;

/** The parts of this checkout install.sh reads, copied (timestamps kept) into a private directory. */
function privateCheckout(to: string): void {
  fs.mkdirSync(to, { mode: 0o700 });
  const parts = ['install.sh', 'package.json', 'package-lock.json', 'README.md', 'bin', 'scripts', 'docs', 'dist/lib', 'dist/bundle', 'dist/validators.gen.cjs', 'dist/validators.gen.cjs.cache', 'dist/completion', 'build/pman_native.node'];
  for (const p of parts) fs.cpSync(path.join(PROJECT, p), path.join(to, p), { recursive: true, preserveTimestamps: true });
  fs.symlinkSync(fs.realpathSync(path.join(PROJECT, 'node_modules')), path.join(to, 'node_modules'));
  // The default image's rootfs, newer than the script that makes it (so install.sh keeps it).
  fs.copyFileSync(busyboxTarball(), path.join(to, 'build/busybox-rootfs.tar'));
}

function install(args: string[] = []) {
  const env = {
    PMAN_PREFIX: prefix,
    PMAN_BINDIR: path.join(prefix, 'bin'),
    PMAN_LIBDIR: path.join(prefix, 'lib/pman'),
    PMAN_MANDIR: path.join(prefix, 'share/man'),
    PMAN_COMPLETIONDIR: path.join(prefix, 'share/bash-completion/completions'),
    PMAN_ROOT: store,
    PMAN_RUNROOT: path.join(dir, 'run'),
  };
  return execa(path.join(checkout, 'install.sh'), args, { env, reject: false, timeout: 300_000 });
}

/** Files and directories under `top` that other users could not read (or enter). */
function unreadable(top: string): string[] {
  const bad: string[] = [];
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return;
    if ((st.mode & (st.isDirectory() ? 0o005 : 0o004)) !== (st.isDirectory() ? 0o005 : 0o004)) bad.push(p);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) walk(path.join(p, n));
  };
  walk(top);
  return bad;
}

beforeAll(() => {
  ensureUsers();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-install-'));
  fs.chmodSync(dir, 0o755);
  checkout = path.join(dir, 'checkout');
  prefix = path.join(dir, 'prefix');
  store = path.join(dir, 'store');
  privateCheckout(checkout);
});

afterAll(async () => {
  if (!dir) return;
  await execa(path.join(prefix, 'bin/pman'), ['--root', store, '--runroot', path.join(dir, 'run'), 'rm', '-af', '-t', '0'], { reject: false });
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('install.sh', () => {
  test('installs a world-readable copy of the build into the prefix and says what it did', async () => {
    const r = await install(['--no-build']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/summary:/);
    expect(r.stdout).toContain(`command: ${prefix}/bin/pman -> ${prefix}/lib/pman/current/bin/pman`);
    expect(r.stdout).toContain('image: localhost/busybox:latest');
    const lib = fs.realpathSync(path.join(prefix, 'lib/pman/current'));
    expect(fs.readlinkSync(path.join(prefix, 'bin/pman'))).toBe(path.join(prefix, 'lib/pman/current/bin/pman'));
    expect(unreadable(lib)).toEqual([]);
    // Only what runs: no tests, no dev dependencies.
    expect(fs.existsSync(path.join(lib, 'dist/test'))).toBe(false);
    expect(fs.existsSync(path.join(lib, 'node_modules/yargs'))).toBe(true);
    expect(fs.existsSync(path.join(lib, 'node_modules/jest'))).toBe(false);
    const images = await execa(path.join(prefix, 'bin/pman'), ['--root', store, 'images', '--format', '{{.Repository}}:{{.Tag}}']);
    expect(images.stdout.split('\n')).toContain('localhost/busybox:latest');
  }, SLOW);

  test('an unprivileged user runs the installed pman while the checkout is unreadable to them', async () => {
    const cannotRead = await execa('runuser', ['-u', USER1.name, '--', 'test', '-r', path.join(checkout, 'package.json')], { reject: false });
    expect(cannotRead.exitCode).not.toBe(0);
    const env = await RootlessEnv.create(USER1, { bin: path.join(prefix, 'bin/pman') });
    try {
      expect(await env.ok(['run', '--rm', 'busybox', 'echo', 'hello from the installed pman'])).toBe('hello from the installed pman');
      expect(await env.ok(['version'])).toMatch(/^Version: +\d+\.\d+\.\d+/m);
    } finally {
      await env.cleanup();
    }
  }, SLOW);

  test('a second run changes nothing', async () => {
    const before = fs.readlinkSync(path.join(prefix, 'lib/pman/current'));
    const r = await install(['--no-build']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('nothing changed');
    expect(fs.readlinkSync(path.join(prefix, 'lib/pman/current'))).toBe(before);
  }, SLOW);

  test('after a change a re-run switches to a new copy, keeping the old one while a container runs from it', async () => {
    const lib = path.join(prefix, 'lib/pman');
    const before = fs.readlinkSync(path.join(lib, 'current'));
    const pman = (args: string[]) => execa(path.join(prefix, 'bin/pman'), ['--root', store, '--runroot', path.join(dir, 'run'), ...args]);
    await pman(['run', '-d', '--name', 'old', 'busybox', 'sleep', '1000']);
    // A new build (here: new docs, so new manual pages) is a new copy.
    // (into a command's own section, `### `pman …``: the man pages take their prose from those only)
    const commandsMd = path.join(checkout, 'docs/commands.md');
    fs.writeFileSync(commandsMd, fs.readFileSync(commandsMd, 'utf8').replace(/^(### `pman .*\n)/m, '$1\nA line added by the install test.\n'));
    const r = await install(['--no-build']);
    expect(r.exitCode).toBe(0);
    const after = fs.readlinkSync(path.join(lib, 'current'));
    expect(after).not.toBe(before);
    expect(r.stdout).toContain(`keeping ${before}`);
    expect(fs.existsSync(path.join(lib, before))).toBe(true);
    // The new copy manages the container the old one started; once it is gone, so is the old copy.
    await pman(['rm', '-f', '-t', '0', 'old']);
    const again = await install(['--no-build']);
    expect(again.stdout).toContain('nothing changed');
    expect(fs.existsSync(path.join(lib, before))).toBe(false);
  }, SLOW);

  test('the manual pages render with man without warnings', async () => {
    const man1 = path.join(prefix, 'share/man/man1');
    const pages = fs.readdirSync(man1);
    expect(pages).toEqual(expect.arrayContaining(['pman.1', 'pman-run.1', 'pman-ps.1', 'pman-volume-ls.1', 'pman-image-prune.1']));
    for (const page of pages) {
      const r = await execa('sh', ['-c', 'man --warnings -l "$1" 2>&1 >/dev/null', 'sh', path.join(man1, page)], { env: { MANWIDTH: '80' } });
      expect({ page, warnings: r.stdout }).toEqual({ page, warnings: '' });
    }
    const run = await execa('man', ['-M', path.join(prefix, 'share/man'), 'pman-run'], { env: { MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat' } });
    expect(run.stdout).toMatch(/pman run \[options\] IMAGE/);
    expect(run.stdout).toMatch(/--detach/);
  }, SLOW);

  test('the bash completion completes commands, subcommands and flags', async () => {
    const file = path.join(prefix, 'share/bash-completion/completions/pman');
    const complete = async (...words: string[]) => {
      const script = 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _pman; echo "${COMPREPLY[*]}"';
      return (await execa('bash', ['-c', script, 'bash', file, ...words])).stdout;
    };
    expect(await complete('pman', 'ru')).toBe('run');
    expect((await complete('pman', 'volume', '')).split(' ')).toEqual(expect.arrayContaining(['create', 'ls', 'rm']));
    expect(await complete('pman', 'rm', '--fo')).toBe('--force');
    expect(await complete('pman', 'inspect', '--type', '')).toBe('all container image');
  }, SLOW);

  test('--uninstall removes what it installed and keeps the store; a fresh install works again', async () => {
    const r = await install(['--uninstall']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/kept: containers, images and state/);
    // The prefix did not exist before: everything install.sh made there is gone.
    expect(fs.existsSync(prefix)).toBe(false);
    expect(fs.existsSync(path.join(store, 'storage/images'))).toBe(true);

    const again = await install(['--no-build']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('image: localhost/busybox:latest present');
    const out = await execa(path.join(prefix, 'bin/pman'), ['--root', store, '--runroot', path.join(dir, 'run'), 'run', '--rm', 'busybox', 'echo', 'again']);
    expect(out.stdout).toBe('again');
  }, SLOW);

  test("--uninstall --purge-state also removes root's store", async () => {
    expect((await install(['--purge-state'])).exitCode).toBe(2);
    const r = await install(['--uninstall', '--purge-state']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/purged root's state/);
    expect(fs.existsSync(store)).toBe(false);
    expect(fs.existsSync(prefix)).toBe(false);
  }, SLOW);
});
