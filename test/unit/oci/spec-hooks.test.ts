import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext } from '../../../lib/context.js';
import type { HookWhen } from '../../../lib/oci/hooks.js';
import { applySpecHooks, hookMatches, type HookSubject } from '../../../lib/oci/spec-hooks.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-spec-hooks-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const subject = (over: Partial<HookSubject> = {}): HookSubject => ({ command: 'sh', annotations: { 'org.example.a': 'yes' }, hasBindMounts: false, ...over });

describe('hook conditions', () => {
  const annotation: HookWhen['annotations'] = [[/^org\.example\.a$/, /^yes$/]];

  it('need every condition given to hold (schema 1.0.0)', () => {
    expect(hookMatches({ always: true }, subject())).toBe(true);
    expect(hookMatches({ always: false }, subject())).toBe(false);
    expect(hookMatches({ commands: [/^sh$/] }, subject())).toBe(true);
    expect(hookMatches({ commands: [/^ls$/, /^s/] }, subject())).toBe(true);
    expect(hookMatches({ commands: [/^ls$/] }, subject())).toBe(false);
    expect(hookMatches({ annotations: annotation }, subject())).toBe(true);
    expect(hookMatches({ annotations: annotation }, subject({ annotations: { 'org.example.a': 'no', other: 'yes' } }))).toBe(false);
    expect(hookMatches({ annotations: annotation, commands: [/^sh$/] }, subject())).toBe(true);
    expect(hookMatches({ annotations: annotation, commands: [/^ls$/] }, subject())).toBe(false);
    expect(hookMatches({ always: true, commands: [/^ls$/] }, subject())).toBe(false);
    expect(hookMatches({ always: false, commands: [/^sh$/] }, subject())).toBe(false);
    expect(hookMatches({ hasBindMounts: true }, subject({ hasBindMounts: true }))).toBe(true);
    expect(hookMatches({ hasBindMounts: true }, subject())).toBe(false);
    // podman's reading: hasBindMounts false is a condition that never holds, not "without mounts".
    expect(hookMatches({ hasBindMounts: false }, subject())).toBe(false);
  });

  it('never hold when none is given, and any one suffices for a 0.1.0 file', () => {
    expect(hookMatches({}, subject())).toBe(false);
    expect(hookMatches({ any: true }, subject())).toBe(false);
    expect(hookMatches({ any: true, commands: [/^ls$/], annotations: annotation }, subject())).toBe(true);
    expect(hookMatches({ any: true, commands: [/^ls$/], hasBindMounts: true }, subject())).toBe(false);
  });
});

/** A hooks directory holding `hooks` (name -> file content), and a context reading only it. */
function hooksCtx(hooks: Record<string, unknown>) {
  const hooksDir = path.join(dir, 'hooks.d');
  fs.mkdirSync(hooksDir, { recursive: true });
  for (const [name, content] of Object.entries(hooks)) fs.writeFileSync(path.join(hooksDir, name), JSON.stringify(content));
  return createContext({ env: {}, engine: { hooksDirs: [hooksDir] } });
}

const baseSpec = () => ({ ociVersion: '1.0.2-dev', process: { args: ['sh', '-c', 'true'], env: ['PATH=/bin'] }, annotations: { 'org.example.a': 'yes' } });

describe("a container's config.json hooks", () => {
  it('are the matching hooks by stage, in the order of their file names', () => {
    const ctx = hooksCtx({
      '20-b.json': { version: '1.0.0', hook: { path: '/bin/true', args: ['b'] }, when: { commands: ['^sh$'] }, stages: ['prestart', 'poststop'] },
      '10-a.json': { version: '1.0.0', hook: { path: '/bin/true', args: ['a'], env: ['X=1'], timeout: 3 }, when: { always: true }, stages: ['prestart', 'createRuntime'] },
      '30-c.json': { version: '1.0.0', hook: { path: '/bin/true', args: ['c'] }, when: { commands: ['^ls$'] }, stages: ['prestart'] },
      '40-d.json': { version: '1.0.0', hook: { path: '/bin/true', args: ['d'] }, when: { hasBindMounts: true }, stages: ['startContainer'] },
    });
    const spec: Record<string, unknown> = baseSpec();
    applySpecHooks(ctx, spec, false, dir);
    expect(spec.hooks).toEqual({
      prestart: [{ path: '/bin/true', args: ['a'], env: ['X=1'], timeout: 3 }, { path: '/bin/true', args: ['b'] }],
      createRuntime: [{ path: '/bin/true', args: ['a'], env: ['X=1'], timeout: 3 }],
      poststop: [{ path: '/bin/true', args: ['b'] }],
    });
    const mounted: Record<string, unknown> = baseSpec();
    applySpecHooks(ctx, mounted, true, dir);
    expect(mounted.hooks).toMatchObject({ startContainer: [{ path: '/bin/true', args: ['d'] }] });
  });

  it('leave the configuration as it was when no hook matches or there is no hooks directory', () => {
    const spec: Record<string, unknown> = baseSpec();
    applySpecHooks(hooksCtx({ 'x.json': { version: '1.0.0', hook: { path: '/bin/true' }, when: { always: false }, stages: ['prestart'] } }), spec, false, dir);
    expect(spec).toEqual(baseSpec());
    applySpecHooks(createContext({ env: {}, engine: { hooksDirs: [path.join(dir, 'none')] } }), spec, false, dir);
    expect(spec).toEqual(baseSpec());
  });

  it('come after precreate hooks ran: each reads the configuration and answers with the one to use', () => {
    const filter = path.join(dir, 'filter.sh');
    // Adds an environment variable, records its own environment, argv and working directory.
    fs.writeFileSync(filter, `#!/bin/sh\nenv > "${dir}/env"; echo "$0 $*" > "${dir}/argv"; pwd > "${dir}/cwd"\nsed 's/"env": \\[/"env": [ "FROM_PRECREATE=1",/'\n`, { mode: 0o755 });
    const ctx = hooksCtx({
      'a.json': { version: '1.0.0', hook: { path: filter, args: ['filter', 'one'], env: ['PATH=/usr/bin:/bin', 'K=v'] }, when: { always: true }, stages: ['precreate'] },
      'b.json': { version: '1.0.0', hook: { path: '/bin/true' }, when: { always: true }, stages: ['prestart'] },
    });
    const bundle = fs.mkdtempSync(path.join(dir, 'bundle-'));
    const spec: Record<string, unknown> = baseSpec();
    applySpecHooks(ctx, spec, false, bundle);
    expect(spec).toEqual({ ...baseSpec(), process: { args: ['sh', '-c', 'true'], env: ['FROM_PRECREATE=1', 'PATH=/bin'] }, hooks: { prestart: [{ path: '/bin/true' }] } });
    expect(fs.readFileSync(path.join(dir, 'env'), 'utf8').split('\n').filter((l) => l && !l.startsWith('PWD=')).sort()).toEqual(['K=v', 'PATH=/usr/bin:/bin']);
    expect(fs.readFileSync(path.join(dir, 'argv'), 'utf8')).toBe(`${filter} one\n`);
    expect(fs.readFileSync(path.join(dir, 'cwd'), 'utf8')).toBe(`${bundle}\n`);
  });

  it('are not written when a precreate hook fails, times out or answers with something else than a configuration', () => {
    const script = (name: string, body: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return file;
    };
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [script('fails.sh', 'echo broken >&2; exit 3'), {}, 'exit status 3: broken'],
      [script('slow.sh', 'exec sleep 30'), { timeout: 1 }, 'killed after its timeout of 1s'],
      [script('text.sh', 'echo hello'), {}, 'its output is not JSON ('],
      [script('list.sh', 'echo "[1]"'), {}, 'its output is not a JSON object'],
    ];
    for (const [file, extra, why] of cases) {
      const ctx = hooksCtx({ 'p.json': { version: '1.0.0', hook: { path: file, ...extra }, when: { always: true }, stages: ['precreate'] } });
      const spec: Record<string, unknown> = baseSpec();
      expect(() => applySpecHooks(ctx, spec, false, dir)).toThrow(`precreate hook "${path.join(dir, 'hooks.d', 'p.json')}" (${file}): ${why}`);
      expect(spec).toEqual(baseSpec());
    }
  });
});
