// The build cache: a repeated build reuses every unchanged step, a changed instruction, file or
// build argument reruns that step and the ones after it, --no-cache reruns all.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';
import { inImage, makeContext } from './build-env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

const FILE = 'FROM busybox\nARG N=1\nRUN date +%s%N > /stamp\nCOPY app.txt /app.txt\nRUN echo "$N" > /n && cat /proc/sys/kernel/random/uuid > /uuid\nCMD ["cat", "/uuid"]\n';

function hits(out: string): number {
  return out.split('\n').filter((l) => l.startsWith('--> Using cache ')).length;
}

describe('the build cache', () => {
  let dir: string;
  let first: string;
  beforeAll(async () => {
    dir = makeContext(env, 'cache', { Containerfile: FILE, 'app.txt': 'v1\n' });
    first = await env.ok(['build', '-t', 'c', dir]);
  });

  it('reuses every step of an unchanged build and gives the same image', async () => {
    expect(hits(first)).toBe(0);
    const again = await env.ok(['build', '-t', 'c', dir]);
    expect(hits(again)).toBe(4);
    expect(again.trim().split('\n').pop()).toBe(first.trim().split('\n').pop());
  });

  it('reruns a COPY whose file changed, and every step after it', async () => {
    const stamp = await inImage(env, 'c', 'cat /stamp');
    const uuid = await inImage(env, 'c', 'cat /uuid');
    fs.writeFileSync(path.join(dir, 'app.txt'), 'v2\n');
    const out = await env.ok(['build', '-t', 'c', dir]);
    expect(hits(out)).toBe(1);
    expect(await inImage(env, 'c', 'cat /stamp /app.txt')).toBe(`${stamp}\nv2`);
    expect(await inImage(env, 'c', 'cat /uuid')).not.toBe(uuid);
  });

  it('does not rerun a COPY for a changed file it does not copy, or a changed modification time', async () => {
    fs.writeFileSync(path.join(dir, 'other.txt'), 'x');
    fs.utimesSync(path.join(dir, 'app.txt'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(hits(await env.ok(['build', '-t', 'c', dir]))).toBe(4);
  });

  it('reruns a RUN when a build argument it sees changes', async () => {
    const out = await env.ok(['build', '-t', 'c', '--build-arg', 'N=2', dir]);
    // The first RUN sees N too (ARG comes before it), as docker keys it.
    expect(hits(out)).toBe(0);
    expect(await inImage(env, 'c', 'cat /n')).toBe('2');
  });

  it('reruns a step whose instruction changed, and reuses the ones before it', async () => {
    fs.writeFileSync(path.join(dir, 'Containerfile'), FILE.replace('CMD ["cat", "/uuid"]', 'CMD ["cat", "/n"]'));
    const out = await env.ok(['build', '-t', 'c', dir]);
    expect(hits(out)).toBe(3);
    expect(await env.ok(['run', '--rm', 'c'])).toBe('1');
  });

  it('reruns everything with --no-cache', async () => {
    const before = await inImage(env, 'c', 'cat /stamp');
    const out = await env.ok(['build', '--no-cache', '-t', 'c', dir]);
    expect(hits(out)).toBe(0);
    expect(await inImage(env, 'c', 'cat /stamp')).not.toBe(before);
  });

  it('misses when the cached image was removed', async () => {
    const id = (await env.ok(['build', '-q', dir])).trim();
    await env.ok(['rmi', '-f', 'c']);
    const out = await env.ok(['build', dir]);
    expect(out.trim().split('\n').pop()).not.toBe(id);
    expect(hits(out)).toBeLessThan(4);
  });
});
