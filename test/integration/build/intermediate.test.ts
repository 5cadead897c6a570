// A build's intermediate images (one per step, the build cache) as podman treats them: hidden by
// `images` unless -a, neither dangling nor pruned while a tagged image descends from them, and
// removed with the last image that needs them by rmi (unless --no-prune) and by image prune.
import { busyboxTarball, TestEnv } from '../harness.js';
import { makeContext } from './build-env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

const FILE = 'FROM busybox\nRUN echo a > /a\nENV X=1\nRUN echo b > /b\n';

async function ids(args: string[]): Promise<string[]> {
  return (await env.ok(['images', '-q', '--no-trunc', ...args])).split('\n').filter(Boolean).map((l) => l.replace(/^sha256:/, ''));
}

async function build(tag: string, file = FILE): Promise<string> {
  const dir = makeContext(env, `ctx-${tag}`, { Containerfile: file });
  return (await env.ok(['build', '-q', '-t', tag, dir])).trim();
}

async function parentOf(id: string): Promise<string> {
  return (JSON.parse(await env.ok(['image', 'inspect', id])) as Array<{ Parent: string }>)[0].Parent;
}

async function chain(id: string): Promise<string[]> {
  const out: string[] = [];
  for (let p = await parentOf(id); p !== ''; p = await parentOf(p)) out.push(p);
  return out;
}

describe('intermediate build images', () => {
  let app: string;
  let busybox: string;
  let steps: string[];
  beforeAll(async () => {
    busybox = (await ids(['busybox']))[0];
    app = await build('app');
    steps = await chain(app);
  });

  it('record each step parent, down to the base image', () => {
    // RUN, ENV (the final RUN is the image itself), then busybox
    expect(steps).toHaveLength(3);
    expect(steps[2]).toBe(busybox);
  });

  it('are hidden by images and shown by images -a', async () => {
    expect((await ids([])).sort()).toEqual([app, busybox].sort());
    const all = await ids(['-a']);
    expect(all.sort()).toEqual([app, busybox, steps[0], steps[1]].sort());
    const table = await env.ok(['images']);
    expect(table).not.toContain('<none>');
  });

  it('are neither dangling nor pruned while a tagged image descends from them', async () => {
    expect(await ids(['-a', '--filter', 'dangling=true'])).toEqual([]);
    expect((await ids(['-a', '--filter', 'intermediate=true'])).sort()).toEqual([steps[0], steps[1]].sort());
    expect((await env.ok(['image', 'prune', '-f'])).trim()).toBe('');
    expect((await ids(['-a'])).length).toBe(4);
  });

  it('keep the build cache: a second build of the file uses every step', async () => {
    const dir = makeContext(env, 'ctx-app-again', { Containerfile: FILE });
    const out = await env.ok(['build', '-t', 'app', dir]);
    expect(out.split('\n').filter((l) => l.startsWith('--> Using cache ')).length).toBe(3);
  });

  it('go with the last tagged image by rmi, which prints each image it deletes', async () => {
    await env.ok(['tag', 'app', 'app2']);
    expect(await env.ok(['rmi', 'app'])).toBe('Untagged: localhost/app:latest');
    const out = await env.ok(['rmi', 'app2']);
    expect(out).toBe(`Untagged: localhost/app2:latest\nDeleted: ${app}\nDeleted: ${steps[0]}\nDeleted: ${steps[1]}`);
    expect(await ids(['-a'])).toEqual([busybox]);
  });

  it('stay while another image descends from them', async () => {
    const x = await build('x');
    const [env1, runA] = await chain(x);
    const y = await build('y', 'FROM busybox\nRUN echo a > /a\nRUN echo y > /y\n');
    // y is built on x's first step (a cache hit)
    expect(await parentOf(y)).toBe(runA);
    expect(await env.ok(['rmi', 'x'])).toBe(`Untagged: localhost/x:latest\nDeleted: ${x}\nDeleted: ${env1}`);
    expect((await ids(['-a'])).sort()).toEqual([y, runA, busybox].sort());
    expect(await ids([])).toEqual([y, busybox]);
    await env.ok(['rmi', 'y']);
    expect(await ids(['-a'])).toEqual([busybox]);
  });

  it('keep a tagged parent: rmi of an image built on a tagged one stops there', async () => {
    const one = await build('one');
    const two = await build('two', `FROM one\nRUN echo c > /c\n`);
    expect(await parentOf(two)).toBe(one);
    expect(await env.ok(['rmi', 'two'])).toBe(`Untagged: localhost/two:latest\nDeleted: ${two}`);
    expect((await ids(['-a'])).length).toBe(4);
    await env.ok(['rmi', 'one']);
    expect(await ids(['-a'])).toEqual([busybox]);
  });

  it('are kept by rmi --no-prune, and then pruned as dangling once untagged', async () => {
    const id = await build('np');
    const parents = await chain(id);
    const out = await env.ok(['rmi', '--no-prune', 'np']);
    expect(out).toBe(`Untagged: localhost/np:latest\nDeleted: ${id}`);
    // the last step's parent is dangling now (no child left): images shows it, its own parent stays hidden
    expect(await ids([])).toContain(parents[0]);
    expect(await ids(['--filter', 'dangling=true'])).toEqual([parents[0]]);
    const pruned = (await env.ok(['image', 'prune', '-f'])).split('\n').filter(Boolean);
    expect(pruned).toEqual([parents[0], parents[1]]);
    expect(await ids(['-a'])).toEqual([busybox]);
  });

  it('are removed by image prune with the untagged image they lead to', async () => {
    const id = await build('up');
    const parents = await chain(id);
    await env.ok(['untag', 'up']);
    expect(await ids([])).toEqual([id, busybox]);
    const pruned = (await env.ok(['image', 'prune', '-f'])).split('\n').filter(Boolean);
    expect(pruned).toEqual([id, parents[0], parents[1]]);
    expect(await ids(['-a'])).toEqual([busybox]);
  });

  it('leave rmi -a and image prune -a without errors for images already deleted as parents', async () => {
    await build('ra');
    await build('pa', 'FROM busybox\nRUN echo p > /p\n');
    const r = await env.pman(['image', 'prune', '-a', '-f']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(await ids(['-a'])).toEqual([]);
    await env.ok(['import', busyboxTarball(), 'busybox']);
    await build('ra');
    const rmiAll = await env.pman(['rmi', '-a']);
    expect(rmiAll.stderr).toBe('');
    expect(rmiAll.exitCode).toBe(0);
    expect(await ids(['-a'])).toEqual([]);
  });
});
