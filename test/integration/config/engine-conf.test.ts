// containers.conf's [engine] keys and their flags. Where events go (docs/events.md): --events-backend none|file, else containers.conf's
// events_logger (the test's own file through CONTAINERS_CONF, never /etc). `none` must reach the
// container's shim too: it records init, start, died and cleanup after the CLI has exited, so each
// check waits for the shim process to be gone before it reads the events file.
import fs from 'node:fs';
import path from 'node:path';
import { busyboxTarball, TestEnv, until } from '../harness.js';
import { processAlive } from '../../../lib/util/proc.js';

const env = TestEnv.forFile();

interface Ev {
  Type: string;
  Status: string;
  Name?: string;
}

/** The statuses of the container events the file holds for `name`. */
function statusesOf(name: string): string[] {
  const file = path.join(env.runroot, 'events/events.log');
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  return lines.map((l) => JSON.parse(l) as Ev).filter((e) => e.Type === 'container' && e.Name === name).map((e) => e.Status);
}

/** What a container's life records with the file backend (below). */
const LIFE = ['create', 'init', 'start', 'kill', 'died', 'cleanup', 'remove'];

/**
 * Runs a container, kills it and removes it with the given global flags and environment; resolves
 * once its shim has exited (everything it would record is recorded).
 */
async function runToTheEnd(name: string, globals: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<void> {
  const opts = { env: { ...process.env, ...extraEnv } };
  await env.ok([...globals, 'run', '-d', '--name', name, '--network', 'none', 'busybox', 'sleep', '1000'], opts);
  const shim = Number((await env.ok(['inspect', name, '--format', '{{.State.ConmonPid}}'])).trim());
  expect(shim).toBeGreaterThan(0);
  await env.ok([...globals, 'kill', name], opts);
  expect(await until(() => !processAlive(shim))).toBe(true);
  await env.ok([...globals, 'rm', name], opts);
}

function confFile(name: string, text: string): string {
  const file = path.join(env.dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('--events-backend and events_logger', () => {
  it('--events-backend none records nothing, from the CLI or the shim; file records the whole life', async () => {
    await runToTheEnd('quiet', ['--events-backend', 'none']);
    await runToTheEnd('loud', ['--events-backend', 'file']);
    expect(statusesOf('quiet')).toEqual([]);
    expect(statusesOf('loud')).toEqual(LIFE);
    // podman's answer to reading events that are not kept.
    expect(await env.pman(['--events-backend', 'none', 'events', '--stream=false'])).toMatchObject({ exitCode: 125, stderr: 'Error: cannot read events with the "none" backend' });
  });

  it('containers.conf events_logger = "none" is honoured, and the flag wins over it', async () => {
    const conf = { CONTAINERS_CONF: confFile('none.conf', '[engine]\nevents_logger = "none"\n') };
    await runToTheEnd('conf-quiet', [], conf);
    await runToTheEnd('flag-loud', ['--events-backend', 'file'], conf);
    expect(statusesOf('conf-quiet')).toEqual([]);
    expect(statusesOf('flag-loud')).toEqual(LIFE);
    expect(await env.pman(['events', '--stream=false'], { env: { ...process.env, ...conf } })).toMatchObject({ exitCode: 125, stderr: 'Error: cannot read events with the "none" backend' });
  });

  it('journald is refused before anything is done; an unknown events_logger names the file and line', async () => {
    expect(await env.pman(['--events-backend', 'journald', 'create', '--name', 'journal', 'busybox', 'true'])).toMatchObject({
      exitCode: 125,
      stderr: 'Error: --events-backend "journald" is not supported: pman uses file or none',
    });
    const bad = confFile('bad.conf', '[engine]\n# where events go\nevents_logger = "syslog"\n');
    expect(await env.pman(['create', '--name', 'journal', 'busybox', 'true'], { env: { ...process.env, CONTAINERS_CONF: bad } })).toMatchObject({
      exitCode: 125,
      stderr: `Error: invalid containers.conf "${bad}": line 3: engine.events_logger "syslog" must be one of file, journald, none`,
    });
    expect((await env.pman(['container', 'exists', 'journal'])).exitCode).toBe(1);
  });
});

describe('image_default_transport', () => {
  it('is read and, as in podman 4.3.1, not applied: a name without a transport is a registry reference', async () => {
    // An archive pman made itself, named as a bare path: with the file's transport it would load.
    await env.ok(['import', busyboxTarball(), 'idt']);
    const archive = path.join(env.dir, 'idt.tar');
    await env.ok(['save', '-o', archive, 'idt']);
    const conf = { env: { ...process.env, CONTAINERS_CONF: confFile('transport.conf', '[engine]\nimage_default_transport = "docker-archive:"\n') } };
    const refused = { exitCode: 125, stderr: `Error: invalid image reference "${archive}": "" is not a valid repository name component` };
    expect(await env.pman(['pull', archive], conf)).toMatchObject(refused);
    expect(await env.pman(['create', '--name', 'idt-c', archive, 'true'], conf)).toMatchObject(refused);
    expect((await env.pman(['container', 'exists', 'idt-c'])).exitCode).toBe(1);
    // With the transport written out, the same archive loads.
    expect(await env.pman(['pull', `docker-archive:${archive}`], conf)).toMatchObject({ exitCode: 0 });
  });
});
