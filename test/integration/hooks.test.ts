// OCI hooks with real runc: hook files from the test's own hooks directories (--hooks-dir, and
// containers.conf's hooks_dir through CONTAINERS_CONF; never /usr/share or /etc), matched per
// container at create and run by runc with the container's state on stdin; podman's precreate
// stage run by pman; a bad hook file stops create with one line naming it.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv, until } from './harness.js';

const env = TestEnv.forFile();

/** A directory of hook files for this test file (name -> hook JSON). */
function hooksDir(name: string, hooks: Record<string, unknown>): string {
  const dir = path.join(env.dir, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, hook] of Object.entries(hooks)) fs.writeFileSync(path.join(dir, file), typeof hook === 'string' ? hook : JSON.stringify(hook));
  return dir;
}

/**
 * The hook program: records what it was given as out/<label>-<container id> (its stdin, then its
 * arguments and environment), the label being its first argument.
 */
function recorder(): { program: string; out: string } {
  const out = path.join(env.dir, 'out');
  const program = path.join(env.dir, 'record-hook.sh');
  if (!fs.existsSync(program)) {
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(
      program,
      `#!/bin/sh\nstate=$(cat)\nid=$(echo "$state" | sed 's/.*"id":"\\([0-9a-f]*\\)".*/\\1/')\nf="${out}/$1-$id"\n{ echo "$state"; echo "args: $*"; env | grep -v '^PWD=' | sort; } > "$f.tmp"\nmv "$f.tmp" "$f"\n`,
      { mode: 0o755 },
    );
  }
  return { program, out };
}

const hook = (label: string, when: unknown, stages: string[], extra: Record<string, unknown> = {}) => ({
  version: '1.0.0',
  hook: { path: recorder().program, args: ['record-hook.sh', label], env: ['PATH=/usr/bin:/bin', 'HOOK_VAR=1'], ...extra },
  when,
  stages,
});

/** What the hook labelled `label` recorded for container `id`, split into its lines (undefined while it has not run). */
function recorded(label: string, id: string): string[] | undefined {
  try {
    return fs.readFileSync(path.join(recorder().out, `${label}-${id}`), 'utf8').trimEnd().split('\n');
  } catch {
    return undefined;
  }
}

/** The labels of the hooks that ran for container `id`, sorted. */
function ranFor(id: string): string[] {
  return fs.readdirSync(recorder().out).filter((f) => f.endsWith(`-${id}`)).map((f) => f.slice(0, -id.length - 1)).sort();
}

describe('OCI hooks', () => {
  it('prestart and createRuntime hooks run before the container, poststop ones after it, each with its state on stdin', async () => {
    const dir = hooksDir('stages', {
      '01-pre.json': hook('prestart', { always: true }, ['prestart']),
      '02-runtime.json': hook('createRuntime', { always: true }, ['createRuntime']),
      '03-post.json': hook('poststop', { always: true }, ['poststop']),
    });
    const out = await env.ok(['--hooks-dir', dir, 'run', '--name', 'staged', '--annotation', 'org.example.note=hi', 'busybox', 'echo', 'ran']);
    expect(out).toBe('ran');
    const id = (await env.ok(['inspect', 'staged', '--format', '{{.Id}}'])).trim();
    const bundle = path.join(env.root, 'containers', id);
    const pre = recorded('prestart', id)!;
    expect(JSON.parse(pre[0])).toEqual({ ociVersion: '1.0.2-dev', id, status: 'creating', pid: expect.any(Number), bundle, annotations: { 'org.example.note': 'hi' } });
    // Its arguments as the file gives them, and only the environment it names.
    expect(pre.slice(1)).toEqual(['args: prestart', 'HOOK_VAR=1', 'PATH=/usr/bin:/bin']);
    expect(JSON.parse(recorded('createRuntime', id)![0])).toMatchObject({ id, status: 'creating', bundle });
    // runc runs poststop hooks when the shim deletes its state of the exited container, before
    // it records and tells the exit: they have run when `run` returns (as in podman).
    const post = recorded('poststop', id);
    expect(JSON.parse(post![0])).toEqual({ ociVersion: '1.0.2-dev', id, status: 'stopped', bundle, annotations: { 'org.example.note': 'hi' } });
    // The same container started again runs them again (they are in its config.json).
    fs.rmSync(path.join(recorder().out, `prestart-${id}`));
    expect(await env.ok(['start', '-a', 'staged'])).toBe('ran');
    expect(recorded('prestart', id)).toBeDefined();
  });

  it('poststop of a run --rm container have run, with its bundle, when run returns; without them runc delete comes after the exit is told', async () => {
    // It reads its state's bundle, takes its time, then says whether the bundle's config.json was still there.
    const program = path.join(env.dir, 'poststop-bundle.sh');
    const out = path.join(env.dir, 'rm-poststop');
    fs.writeFileSync(program, `#!/bin/sh\nbundle=$(sed 's/.*"bundle":"\\([^"]*\\)".*/\\1/')\nsleep 1\nif [ -f "$bundle/config.json" ]; then echo present; else echo gone; fi > "${out}.tmp"\nmv "${out}.tmp" "${out}"\n`, { mode: 0o755 });
    const dir = hooksDir('poststop-rm', { 'post.json': { version: '1.0.0', hook: { path: program }, when: { always: true }, stages: ['poststop'] } });
    const before = await env.ok(['ps', '-aq']);
    expect(await env.ok(['--hooks-dir', dir, 'run', '--rm', 'busybox', 'echo', 'ran'])).toBe('ran');
    expect(fs.readFileSync(out, 'utf8')).toBe('present\n');
    expect(await env.ok(['ps', '-aq'])).toBe(before);
    // Without poststop hooks the fast way stays: the client hears the exit before runc's state goes.
    const traced = path.join(env.dir, 'rm-trace');
    expect(await env.ok(['run', '--rm', 'busybox', 'true'], { env: { ...process.env, PMAN_TRACE: traced } })).toBe('');
    const lines = await until(() => {
      const text = fs.readFileSync(traced, 'utf8').split('\n');
      return text.some((l) => l.endsWith(' shim: files removed')) ? text : undefined;
    });
    const at = (label: string) => lines!.findIndex((l) => l.endsWith(` ${label}`));
    expect(at('shim: exit sent')).toBeGreaterThan(-1);
    expect(at('shim: runc deleted after the exit was sent')).toBeGreaterThan(at('shim: exit sent'));
  });

  it('apply where their annotations, commands and bind-mount conditions all hold', async () => {
    const dir = hooksDir('conditions', {
      'annotated.json': hook('annotated', { annotations: { '^org\\.example\\.hook$': '^y' } }, ['prestart']),
      'shell.json': hook('shell', { commands: ['^sh$', '^/bin/sh$'] }, ['prestart']),
      'annotated-shell.json': hook('annotated-shell', { annotations: { 'example\\.hook': 'yes' }, commands: ['^sh$'] }, ['prestart']),
      'mounted.json': hook('mounted', { hasBindMounts: true }, ['prestart']),
      'never.json': hook('never', {}, ['prestart']),
      'off.json': hook('off', { always: false, commands: ['^sh$'] }, ['prestart']),
    });
    const run = async (args: string[]) => {
      await env.ok(['--hooks-dir', dir, 'run', '-d', ...args]);
      const id = (await env.ok(['inspect', args[args.indexOf('--name') + 1], '--format', '{{.Id}}'])).trim();
      await env.ok(['wait', id]);
      return id;
    };
    const a = await run(['--name', 'c-ann', '--annotation', 'org.example.hook=yes', '-v', `${env.dir}:/mnt`, 'busybox', 'true']);
    const b = await run(['--name', 'c-sh', 'busybox', 'sh', '-c', 'true']);
    const c = await run(['--name', 'c-both', '--annotation', 'org.example.hook=yes', 'busybox', 'sh', '-c', 'true']);
    const d = await run(['--name', 'c-no', '--annotation', 'org.example.hook=no', 'busybox', 'true']);
    expect(ranFor(a)).toEqual(['annotated', 'mounted']);
    expect(ranFor(b)).toEqual(['shell']);
    expect(ranFor(c)).toEqual(['annotated', 'annotated-shell', 'shell']);
    expect(ranFor(d)).toEqual([]);
  });

  it('come from containers.conf hooks_dir, which --hooks-dir replaces; a later --hooks-dir masks a same-named file; --hooks-dir "" has none', async () => {
    const confDir = hooksDir('conf-hooks', { 'x.json': hook('conf', { always: true }, ['prestart']) });
    const first = hooksDir('first', { 'x.json': hook('first-x', { always: true }, ['prestart']), 'y.json': hook('first-y', { always: true }, ['prestart']) });
    const second = hooksDir('second', { 'x.json': hook('second-x', { always: true }, ['prestart']) });
    const conf = path.join(env.dir, 'hooks.conf');
    fs.writeFileSync(conf, `[engine]\nhooks_dir = ["${confDir}"]\n`);
    const withConf = { env: { ...process.env, CONTAINERS_CONF: conf } };
    const ran = async (globals: string[]) => {
      const id = (await env.ok([...globals, 'run', '-d', 'busybox', 'true'], withConf)).trim();
      await env.ok(['wait', id]);
      return ranFor(id);
    };
    expect(await ran([])).toEqual(['conf']);
    expect(await ran(['--hooks-dir', first, '--hooks-dir', second])).toEqual(['first-y', 'second-x']);
    expect(await ran([`--hooks-dir=${first},${second}`])).toEqual(['first-y', 'second-x']);
    expect(await ran(['--hooks-dir', ''])).toEqual([]);
  });

  it('of the precreate stage are run by pman and change the configuration runc gets', async () => {
    const filter = path.join(env.dir, 'precreate.sh');
    fs.writeFileSync(filter, `#!/bin/sh\nsed 's/"env": \\[/"env": [ "FROM_PRECREATE=changed",/'\n`, { mode: 0o755 });
    const dir = hooksDir('precreate', { 'p.json': { version: '1.0.0', hook: { path: filter }, when: { always: true }, stages: ['precreate'] } });
    expect(await env.ok(['--hooks-dir', dir, 'run', '--rm', 'busybox', 'sh', '-c', 'echo $FROM_PRECREATE'])).toBe('changed');
  });

  it('stop create with one line naming a bad file; a failing prestart hook fails the start as runc reports it', async () => {
    const bad = hooksDir('bad', { 'ok.json': hook('ok', { always: true }, ['prestart']), 'zz.json': hook('zz', { always: true }, ['prestart', 'bogus']) });
    const before = await env.ok(['ps', '-aq']);
    const r = await env.pman(['--hooks-dir', bad, 'run', '--name', 'never-made', 'busybox', 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toBe(`Error: invalid OCI hook "${path.join(bad, 'zz.json')}": unknown stage "bogus": use prestart, createRuntime, createContainer, startContainer, poststart, poststop, precreate`);
    expect(await env.ok(['ps', '-aq'])).toBe(before);
    const failing = hooksDir('failing', { 'f.json': { version: '1.0.0', hook: { path: '/bin/false' }, when: { always: true }, stages: ['prestart'] } });
    const f = await env.pman(['--hooks-dir', failing, 'run', '--name', 'hook-fails', 'busybox', 'true']);
    expect(f.exitCode).toBe(126);
    expect(f.stderr).toMatch(/^Error: .*error running hook #0: error running hook: exit status 1/);
    expect((await env.ok(['inspect', 'hook-fails', '--format', '{{.State.Status}} {{.State.ExitCode}}'])).trim()).toBe('exited 126');
  });
});
