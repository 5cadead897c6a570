// The event stream: every state change one JSON line in <runroot>/events/events.log, written by
// many processes at once (CLIs and shims) without losing or mixing lines, read and followed by
// `pman events` across rotations of the file.
import { execa, type ResultPromise } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { busyboxTarball, PMAN_BIN, TestEnv, until } from './harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

interface Ev {
  Type: string;
  Status: string;
  ID: string;
  Name?: string;
  ExitCode?: number;
  Time: string;
  Attributes?: Record<string, string>;
}

/** A live `pman events --format json` and the events it has printed so far. */
function follow(extraEnv: Record<string, string> = {}, args: string[] = []) {
  const proc: ResultPromise = execa(PMAN_BIN, env.args(['events', '--format', 'json', ...args]), { reject: false, env: extraEnv, buffer: { stdout: true } });
  let text = '';
  proc.stdout!.on('data', (c: Buffer) => (text += c.toString()));
  return {
    proc,
    events: (): Ev[] => text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Ev),
    async stop() {
      proc.kill('SIGINT');
      return proc;
    },
  };
}

describe('pman events', () => {
  it('a follower sees every event of 20 containers started and stopped in parallel, once, in order per container', async () => {
    const f = follow();
    try {
      // The follower is reading (it has printed an event made after it started).
      await env.ok(['volume', 'create', 'ready']);
      expect(await until(() => f.events().some((e) => e.Type === 'volume' && e.Name === 'ready'))).toBe(true);
      const names = Array.from({ length: 20 }, (_, i) => `par${i}`);
      await Promise.all(names.map((n) => env.ok(['run', '-d', '--rm', '--name', n, 'busybox', 'true'])));
      const removed = () => f.events().filter((e) => e.Type === 'container' && e.Status === 'remove').length;
      expect(await until(() => removed() === 20)).toBe(true);
      for (const n of names) {
        const mine = f.events().filter((e) => e.Type === 'container' && e.Name === n);
        expect(mine.map((e) => e.Status)).toEqual(['create', 'init', 'start', 'died', 'cleanup', 'remove']);
        expect(mine[3].ExitCode).toBe(0);
        expect(new Set(mine.map((e) => e.ID)).size).toBe(1);
      }
      // What the file holds is the same, every line whole.
      const lines = fs.readFileSync(path.join(env.runroot, 'events/events.log'), 'utf8').split('\n').filter(Boolean);
      expect(lines.map((l) => JSON.parse(l) as Ev).filter((e) => e.Type === 'container' && names.includes(e.Name!))).toHaveLength(120);
    } finally {
      await f.stop();
    }
    const r = await f.proc;
    expect(r.exitCode).toBe(0);
    // A hundred and more lines printed leave nothing on stderr (no listener added per event).
    expect(r.stderr).toBe('');
  });

  it('loses nothing a live follower has not read when the file is rotated', async () => {
    const small = { PMAN_EVENTS_MAX_SIZE: '1500' };
    const f = follow(small, ['--filter', 'type=volume']);
    const made: string[] = [];
    try {
      await env.ok(['volume', 'create', 'rot-start'], { env: small });
      expect(await until(() => f.events().some((e) => e.Name === 'rot-start'))).toBe(true);
      // Batches smaller than the limit, each read before the next: several rotations, each under
      // a follower that reads between them (the documented guarantee).
      for (let b = 0; b < 6; b++) {
        for (let i = 0; i < 5; i++) {
          const n = `rot${b}-${i}`;
          await env.ok(['volume', 'create', n], { env: small });
          await env.ok(['volume', 'rm', n], { env: small });
          made.push(n);
        }
        const last = made[made.length - 1];
        expect(await until(() => f.events().some((e) => e.Name === last && e.Status === 'remove'))).toBe(true);
      }
    } finally {
      await f.stop();
    }
    const seen = f.events().filter((e) => e.Name !== 'rot-start' && e.Name !== 'ready');
    expect(seen.map((e) => `${e.Status} ${e.Name}`)).toEqual(made.flatMap((n) => [`create ${n}`, `remove ${n}`]));
    // The file really was rotated: a reader starting now finds only the newest part.
    const now = await env.ok(['events', '--stream=false', '--filter', 'type=volume', '--format', '{{.Name}}']);
    expect(now.split('\n').filter((n) => n.startsWith('rot')).length).toBeLessThan(40);
    expect(fs.existsSync(path.join(env.runroot, 'events/events.log.1'))).toBe(true);
  });

  it('filters by type, event, container and label, a time window, and formats with templates', async () => {
    await env.pman(['run', '--name', 'flt', '-l', 'team=blue', 'busybox', 'sh', '-c', 'exit 3']);
    const died = await env.ok(['events', '--stream=false', '--filter', 'container=flt', '--filter', 'event=died', '--format', '{{.Name}} {{.Status}} {{.ContainerExitCode}}']);
    expect(died).toBe('flt died 3');
    const byLabel = await env.ok(['events', '--stream=false', '--filter', 'label=team=blue', '--filter', 'event=create', '--filter', 'event=start', '--format', '{{.Status}}']);
    expect(byLabel).toBe('create\nstart');
    const all = (await env.ok(['events', '--stream=false', '--format', 'json'])).split('\n').map((l) => JSON.parse(l) as Ev);
    const start = all.find((e) => e.Name === 'flt' && e.Status === 'start')!;
    const window = await env.ok(['events', '--stream=false', '--filter', 'container=flt', '--since', start.Time, '--until', start.Time, '--format', '{{.Status}}']);
    expect(window).toBe('start');
    const plain = await env.ok(['events', '--stream=false', '--filter', 'container=flt', '--filter', 'event=create']);
    // Go's time.Time form, as podman's: the fraction without its trailing zeros.
    expect(plain).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d*[1-9])? \+0000 UTC container create [0-9a-f]{64} \(image=localhost\/busybox:latest, name=flt, team=blue\)$/);
    expect(await env.pman(['events', '--stream=false', '--filter', 'colour=red'])).toMatchObject({
      exitCode: 125,
      stderr: 'Error: invalid --filter "colour=red": use KEY=VALUE with a key of type, event, status, container, image, label, volume, network',
    });
    expect(await env.pman(['events', '--since', 'yesterday-ish'])).toMatchObject({ exitCode: 125, stderr: expect.stringContaining('invalid --since "yesterday-ish"') });
  });

  it('records image, volume and network changes', async () => {
    const since = new Date().toISOString();
    await env.ok(['import', busyboxTarball(), 'evimported']);
    const image = (await env.ok(['inspect', '--format', '{{.Id}}', 'evimported'])).trim();
    await env.ok(['tag', 'evimported', 'evimg:1']);
    await env.ok(['rmi', 'evimg:1']);
    const archive = path.join(env.dir, 'ev.tar');
    await env.ok(['save', '-o', archive, 'evimported']);
    const images = await env.ok(['events', '--stream=false', '--since', since, '--filter', 'type=image', '--format', '{{.Status}} {{.ID}} {{.Name}}']);
    expect(images.split('\n')).toEqual([
      `import ${image} localhost/evimported:latest`,
      `tag ${image} localhost/evimg:1`,
      `untag ${image} localhost/evimg:1`,
      `save ${image} localhost/evimported:latest`,
    ]);
    await env.ok(['network', 'create', 'evnet']);
    await env.ok(['network', 'rm', 'evnet']);
    const nets = await env.ok(['events', '--stream=false', '--filter', 'network=evnet', '--format', '{{.Type}} {{.Status}} {{.Name}}']);
    expect(nets).toBe('network create evnet\nnetwork remove evnet');
  });
});
