// The shim's launcher session (foreground `pman run`): the CLI that launched the shim stays on the
// shim's fd 3 as the container's first attach client. Driven here directly against the real shim
// and runc, to check what the CLI cannot show: the frames in order, and a launcher that goes away
// before attaching (the container then runs on as if detached, its output kept in the log).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { encodeFrame, Frame, FrameDecoder, PROTOCOL_VERSION } from '../../lib/shim/protocol.js';
import { PROJECT, TestEnv, until } from './harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

function launchShim(): { child: ChildProcess; pipe: net.Socket } {
  const child = spawn(process.execPath, [path.join(PROJECT, 'dist/bundle/shim-entry.cjs')], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    detached: true,
  });
  return { child, pipe: child.stdio[3] as unknown as net.Socket };
}

async function createContainer(name: string, cmd: string[]): Promise<string> {
  await env.ok(['create', '--name', name, 'busybox', ...cmd]);
  return (await env.ok(['inspect', '--format', '{{.Id}}', name])).trim();
}

function launcherOptions(id: string): string {
  return `${JSON.stringify({ id, root: env.root, runroot: env.runroot, runtime: 'runc', logLevel: 'info', startNow: false, launcherAttached: true })}\n`;
}

const status = async (name: string) => (await env.ok(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', name])).trim();

describe('the launcher session on the shim fd 3', () => {
  it('carries Welcome, Started, the output and the exit, in that order', async () => {
    const id = await createContainer('launched', ['sh', '-c', 'echo hello; echo oops >&2; exit 4']);
    const { pipe } = launchShim();
    const hello = { version: PROTOCOL_VERSION, kind: 'attach', stdin: false, stdout: true, stderr: true };
    // As the CLI does: the options, then Hello and Start without waiting for anything.
    pipe.write(Buffer.concat([Buffer.from(launcherOptions(id)), encodeFrame(Frame.Hello, hello), encodeFrame(Frame.Start)]));
    const seen: string[] = [];
    const dec = new FrameDecoder('shim');
    await new Promise<void>((resolve, reject) => {
      pipe.on('data', (chunk: Buffer) => {
        for (const f of dec.push(chunk)) {
          if (f.type === Frame.Welcome) seen.push('welcome');
          else if (f.type === Frame.Started) seen.push('started');
          else if (f.type === Frame.Stdout) seen.push(`out:${f.payload.toString()}`);
          else if (f.type === Frame.Stderr) seen.push(`err:${f.payload.toString()}`);
          else if (f.type === Frame.Exit) seen.push(`exit:${JSON.parse(f.payload.toString()).exitCode}`);
          else seen.push(`frame:${f.type}`);
        }
      });
      pipe.on('close', () => resolve());
      pipe.on('error', reject);
    });
    expect(seen[0]).toBe('welcome');
    expect(seen.indexOf('started')).toBeGreaterThan(0);
    expect(seen).toContain('out:hello\n');
    expect(seen).toContain('err:oops\n');
    expect(seen[seen.length - 1]).toBe('exit:4');
    expect(await status('launched')).toBe('exited 4');
  });

  it('runs the container on, detached, when the launcher goes away before attaching', async () => {
    const id = await createContainer('orphan', ['sh', '-c', 'sleep 0.3; echo kept; exit 5']);
    const { child, pipe } = launchShim();
    pipe.end(launcherOptions(id));
    await until(async () => (await status('orphan')) === 'exited 5');
    expect(await status('orphan')).toBe('exited 5');
    expect(await env.ok(['logs', 'orphan'])).toBe('kept');
    // The shim has cleaned up and gone.
    await until(() => child.exitCode !== null);
    expect(child.exitCode).toBe(0);
  });
});

describe('a shim that cannot listen on its attach socket', () => {
  it('stops the container it started and records why', async () => {
    const id = await createContainer('nolisten', ['sleep', '1000']);
    // A non-empty directory where the socket goes: it can be neither removed nor bound.
    fs.mkdirSync(path.join(env.runroot, 'containers', id, 'attach', 'in-the-way'), { recursive: true });
    const { pipe } = launchShim();
    let report = '';
    pipe.on('data', (d: Buffer) => (report += d.toString()));
    const closed = new Promise((resolve) => pipe.on('close', resolve));
    pipe.write(`${JSON.stringify({ id, root: env.root, runroot: env.runroot, runtime: 'runc', logLevel: 'info', startNow: true })}\n`);
    await closed;
    expect(JSON.parse(report)).toMatchObject({ event: 'error', exitCode: 125 });
    expect(await status('nolisten')).toBe('exited 125');
    expect(await env.ok(['inspect', '--format', '{{.State.Error}}', 'nolisten'])).toMatch(/EADDRINUSE|in use/);
    // Nothing of it runs on: runc has no state of it left.
    const runc = spawnSync('runc', ['--root', path.join(env.runroot, 'runc'), 'state', id], { encoding: 'utf8' });
    expect(runc.status).not.toBe(0);
  });
});
