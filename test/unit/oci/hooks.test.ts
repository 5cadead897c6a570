import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_HOOKS_DIRS, hooksDirs, readHookFile, readHooks } from '../../../lib/oci/hooks.js';
import { createContext } from '../../../lib/context.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-hooks-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes a hook file (an object is written as JSON) and returns its path. */
function hookFile(name: string, content: unknown, sub = '.'): string {
  const file = path.join(dir, sub, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const valid = (over: Record<string, unknown> = {}) => ({ version: '1.0.0', hook: { path: '/bin/true' }, when: { always: true }, stages: ['prestart'], ...over });

describe('an OCI hook file', () => {
  it('of schema 1.0.0 gives its hook, conditions and stages', () => {
    const file = hookFile('a.json', valid({ hook: { path: '/bin/true', args: ['true', '-x'], env: ['A=1'], timeout: 5 }, when: { commands: ['^sh$'], annotations: { '^k$': 'v' }, hasBindMounts: true }, stages: ['createRuntime', 'poststop'] }));
    const h = readHookFile(file);
    expect(h).toMatchObject({ name: 'a.json', file, hook: { path: '/bin/true', args: ['true', '-x'], env: ['A=1'], timeout: 5 }, stages: ['createRuntime', 'poststop'] });
    expect(h.when.hasBindMounts).toBe(true);
    expect(h.when.commands!.map(String)).toEqual(['/^sh$/']);
    expect(h.when.annotations!.map(([k, v]) => [String(k), String(v)])).toEqual([['/^k$/', '/v/']]);
    expect(h.when.any).toBeUndefined();
  });

  it('of the deprecated schema 0.1.0 (or none) is read as podman converts it: any one condition suffices', () => {
    const h = readHookFile(hookFile('old.json', { hook: '/bin/true', arguments: ['-a'], stage: ['prestart'], cmd: ['^sh$'], annotation: ['x', 'y'], hasbindmounts: true }));
    expect(h.hook).toEqual({ path: '/bin/true', args: ['/bin/true', '-a'] });
    expect(h.stages).toEqual(['prestart']);
    expect(h.when.any).toBe(true);
    expect(h.when.hasBindMounts).toBe(true);
    expect(h.when.annotations!.map(([k, v]) => [String(k), String(v)])).toEqual([['/.*/', '/x|y/']]);
    expect(readHookFile(hookFile('v.json', { version: '0.1.0', hook: '/bin/true', stages: ['poststop'] })).hook).toEqual({ path: '/bin/true' });
  });

  it.each([
    ['{"version":"1.0.0",', /^not JSON \(/],
    ['[1]', /^not a JSON object$/],
    [valid({ version: '2.0.0' }), /^unrecognized hook version "2.0.0": use "1.0.0"$/],
    [valid({ hook: undefined }), /^missing required property: hook$/],
    [valid({ hook: {} }), /^missing required property: hook.path$/],
    [valid({ hook: { path: 'bin/true' } }), /^hook.path "bin\/true" must be an absolute path$/],
    [valid({ hook: { path: '/bin/true', args: 'x' } }), /^hook.args must be an array of strings$/],
    [valid({ hook: { path: '/bin/true', env: [1] } }), /^hook.env must be an array of strings$/],
    [valid({ hook: { path: '/bin/true', timeout: 0 } }), /^hook.timeout 0 must be a whole number of seconds above 0$/],
    [valid({ when: 'always' }), /^when must be an object$/],
    [valid({ when: { always: 'yes' } }), /^when.always must be true or false$/],
    [valid({ when: { annotations: { k: 1 } } }), /^when.annotations\["k"\] must be a string$/],
    [valid({ when: { commands: ['('] } }), /^invalid command pattern "\(": /],
    [valid({ when: { annotations: { '[': 'v' } } }), /^invalid annotation key pattern "\[": /],
    [valid({ stages: undefined }), /^missing required property: stages$/],
    [valid({ stages: ['bogus'] }), /^unknown stage "bogus": use prestart, createRuntime, createContainer, startContainer, poststart, poststop, precreate$/],
    [{ hook: '/bin/true', stage: ['prestart'], stages: ['prestart'] }, /^cannot set both 'stage' and 'stages'$/],
    [{ stages: ['prestart'] }, /^missing required property: hook$/],
  ])('is refused naming the file and the problem: %j', (content, problem) => {
    const file = hookFile('bad.json', content);
    let message = '';
    try {
      readHookFile(file);
    } catch (err) {
      message = (err as Error).message;
    }
    const prefix = `invalid OCI hook "${file}": `;
    expect(message.startsWith(prefix)).toBe(true);
    expect(message.slice(prefix.length)).toMatch(problem);
  });

  it("takes Go's leading flag group as the pattern's flags", () => {
    const h = readHookFile(hookFile('f.json', valid({ when: { commands: ['(?i)^ECHO$'] } })));
    expect(h.when.commands![0].test('echo')).toBe(true);
    expect(h.when.commands![0].test('echoes')).toBe(false);
  });
});

describe('the hooks directories', () => {
  it('give their .json files sorted by name (case ignored), a later directory masking a file of the same name', () => {
    hookFile('B.json', valid({ hook: { path: '/bin/true', args: ['first-B'] } }), 'one');
    hookFile('a.json', valid({ hook: { path: '/bin/true', args: ['first-a'] } }), 'one');
    hookFile('notes.txt', 'not a hook', 'one');
    hookFile('B.json', valid({ hook: { path: '/bin/true', args: ['second-B'] } }), 'two');
    hookFile('c.json', valid({ hook: { path: '/bin/true', args: ['second-c'] } }), 'two');
    const hooks = readHooks([path.join(dir, 'one'), path.join(dir, 'missing'), path.join(dir, 'two')]);
    expect(hooks.map((h) => [h.name, h.hook.args![0]])).toEqual([['a.json', 'first-a'], ['B.json', 'second-B'], ['c.json', 'second-c']]);
  });

  it('leave out a hook whose program does not exist, as podman does (a same-named one of an earlier directory stays)', () => {
    hookFile('x.json', valid({ hook: { path: '/bin/true', args: ['kept'] } }), 'one');
    hookFile('x.json', valid({ hook: { path: path.join(dir, 'no-such-program') } }), 'two');
    const said: string[] = [];
    const hooks = readHooks([path.join(dir, 'one'), path.join(dir, 'two')], (m) => said.push(m));
    expect(hooks.map((h) => h.hook.args)).toEqual([['kept']]);
    expect(said).toEqual([`OCI hook "${path.join(dir, 'two', 'x.json')}" left out: its program ${path.join(dir, 'no-such-program')} does not exist`]);
  });

  it('are refused when one is a file, and a bad file stops the reading even when a later directory masks it', () => {
    const file = hookFile('plain', 'x');
    expect(() => readHooks([file])).toThrow(`cannot read the OCI hooks directory "${file}": not a directory`);
    hookFile('x.json', '{', 'one');
    hookFile('x.json', valid(), 'two');
    expect(() => readHooks([path.join(dir, 'one'), path.join(dir, 'two')])).toThrow(`invalid OCI hook "${path.join(dir, 'one', 'x.json')}": not JSON`);
  });

  it('are --hooks-dir, else containers.conf hooks_dir, else podman 4.3.1 default', () => {
    const ctx = createContext({ env: {} });
    expect(hooksDirs(ctx)).toEqual(DEFAULT_HOOKS_DIRS);
    expect(DEFAULT_HOOKS_DIRS).toEqual(['/usr/share/containers/oci/hooks.d']);
    expect(hooksDirs(createContext({ env: {}, confHooksDirs: () => ['/conf'] }))).toEqual(['/conf']);
    expect(hooksDirs(createContext({ env: {}, confHooksDirs: () => undefined }))).toEqual(DEFAULT_HOOKS_DIRS);
    expect(hooksDirs(createContext({ env: {}, confHooksDirs: () => ['/conf'], engine: { hooksDirs: [] } }))).toEqual([]);
    expect(hooksDirs(createContext({ env: {}, confHooksDirs: () => ['/conf'], engine: { hooksDirs: ['/flag'] } }))).toEqual(['/flag']);
  });
});
