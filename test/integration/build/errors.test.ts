// Bad input: one clear message and exit 125 (a failing RUN: its command and exit code, as podman
// reports it), no image tagged by a build that failed, no build container or mount left behind.
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { PMAN_BIN, TestEnv, until } from '../harness.js';
import { makeContext, noContainers } from './build-env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

function mountsUnder(dir: string): string[] {
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m) => m && m.startsWith(dir));
}

async function fails(file: string, args: string[] = []): Promise<{ exitCode: number; stderr: string }> {
  const dir = makeContext(env, `bad-${Math.random().toString(36).slice(2)}`, { Containerfile: file, 'a.txt': 'a' });
  return env.pman(['build', '-t', 'bad', ...args, dir]);
}

describe('pman build with bad input', () => {
  it('reports a failing RUN with its command and exit code, and exits with that code', async () => {
    const r = await fails('FROM busybox\nRUN echo partial > /p && exit 3\n');
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('Error: building at STEP "RUN echo partial > /p && exit 3": while running runtime: exit status 3');
  });

  it('tags nothing and leaves no container or mount behind when a step fails', async () => {
    await env.ok(['build', '-t', 'bad', makeContext(env, 'good', { Containerfile: 'FROM busybox\nLABEL good=yes\n' })]);
    const before = (await env.ok(['images', '-q', 'bad'])).trim();
    const r = await fails('FROM busybox\nCOPY a.txt /a\nRUN false\nLABEL never=reached\n');
    expect(r.exitCode).toBe(1);
    expect((await env.ok(['images', '-q', 'bad'])).trim()).toBe(before);
    expect(await noContainers(env)).toBe(true);
    expect(mountsUnder(env.dir)).toEqual([]);
  });

  it('reports a command that cannot be run', async () => {
    const r = await fails('FROM busybox\nRUN ["/no/such/binary"]\n');
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('building at STEP "RUN ["/no/such/binary"]"');
    expect(await noContainers(env)).toBe(true);
  });

  it('names the file and line of a syntax error or an unknown instruction', async () => {
    let r = await fails('FROM busybox\nRUN true\nCOPPY a.txt /a\n');
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/Error: cannot build from ".*\/Containerfile": line 3: unknown instruction "COPPY"/);
    r = await fails('FROM busybox\nENV\n');
    expect(r.stderr).toMatch(/line 2: ENV needs arguments/);
    r = await fails('FROM busybox\nENV A="unclosed\n');
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain('building at STEP "ENV A="unclosed": cannot expand');
  });

  it('names a missing base image and a missing stage', async () => {
    let r = await fails('FROM localhost/nothere:1\n', ['--pull=never']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain('building at STEP "FROM localhost/nothere:1"');
    r = await fails('FROM busybox\nCOPY --from=nostage /x /y\n', ['--pull=never']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain('building at STEP "COPY --from=nostage /x /y"');
    expect(r.stderr).toContain('nostage');
  });

  it('refuses a context that does not exist or is not a directory, and a missing Containerfile', async () => {
    let r = await env.pman(['build', path.join(env.dir, 'nowhere')]);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain(`Error: cannot read the build context "${path.join(env.dir, 'nowhere')}": no such directory`);
    const file = path.join(env.dir, 'plainfile');
    fs.writeFileSync(file, 'x');
    r = await env.pman(['build', file]);
    expect(r.stderr).toContain(`cannot use "${file}" as the build context: it is not a directory`);
    const empty = makeContext(env, 'empty', { 'x.txt': 'x' });
    r = await env.pman(['build', empty]);
    expect(r.stderr).toContain(`no Containerfile or Dockerfile in the build context "${empty}"`);
    r = await env.pman(['build', '-f', path.join(empty, 'Nofile'), empty]);
    expect(r.stderr).toContain(`cannot read Containerfile "${path.join(empty, 'Nofile')}": no such file`);
  });

  it('refuses RUN in a stage FROM scratch and unknown flags', async () => {
    let r = await fails('FROM scratch\nRUN true\n');
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain('RUN needs an image with a shell');
    r = await fails('FROM busybox\nCOPY --bogus=1 a.txt /a\n');
    expect(r.stderr).toContain('COPY --bogus is not supported');
    r = await env.pman(['build', '--format', 'v1', makeContext(env, 'fmt', { Containerfile: 'FROM busybox\n' })]);
    expect(r.stderr).toContain('invalid --format "v1": use oci or docker');
  });

  it('stops on SIGINT: exit 130, the running step\'s container removed, nothing tagged', async () => {
    const dir = makeContext(env, 'interrupt', { Containerfile: 'FROM busybox\nRUN echo started; sleep 60\n' });
    const child = execa(PMAN_BIN, env.args(['build', '-t', 'interrupted', dir]), { reject: false });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    expect(await until(() => out.includes('started'), 30_000)).toBe(true);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(String(r.stderr)).toContain('Error: building at STEP "RUN echo started; sleep 60": the build was interrupted');
    expect(await noContainers(env)).toBe(true);
    expect(mountsUnder(env.dir)).toEqual([]);
    expect((await env.pman(['image', 'exists', 'interrupted'])).exitCode).toBe(1);
  });
});
