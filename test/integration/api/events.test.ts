// GET /events through the docker CLI and dockerode: the events file `pman events` reads, in
// Docker's words, with since/until and filters, and a stream that follows the file across
// rotations without losing anything.
import Docker from 'dockerode';
import { execa } from 'execa';
import type { Readable } from 'node:stream';
import { until } from '../harness.js';
import { DOCKER_CLI, useApiService } from './api-service.js';

const s = useApiService();

interface DockerEv {
  Type: string;
  Action: string;
  status: string;
  id: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  timeNano: number;
}

/** Unix seconds, as the docker CLI takes --since/--until. */
const unixNow = () => Math.floor(Date.now() / 1000);

describe('/events through pman system service', () => {
  it('docker events --since --until lists what the events file holds, in Docker\'s words, filtered', async () => {
    const since = unixNow() - 1;
    // A container that pman itself makes: the API reads the same file, whoever wrote it.
    await s.env.ok(['run', '-d', '--name', 'evented', '--label', 'team=blue', 'busybox', 'sh', '-c', 'exit 3']);
    expect(await s.env.ok(['wait', 'evented'])).toBe('3');
    await s.svc.ok(['rm', 'evented']);
    await s.svc.ok(['volume', 'create', 'evvol']);
    await s.svc.ok(['volume', 'rm', 'evvol']);
    const until_ = unixNow() + 1;
    const window = ['--since', String(since), '--until', String(until_)];
    const actions = await s.svc.ok(['events', ...window, '--filter', 'container=evented', '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}']);
    expect(actions.split('\n')).toEqual(['create', 'init', 'start', 'die', 'cleanup', 'destroy'].map((a) => `container ${a} evented`));
    // Docker's event names filter too, and die carries the exit code as dockerd words it.
    expect(await s.svc.ok(['events', ...window, '--filter', 'event=die', '--filter', 'label=team=blue', '--format', '{{.Status}} {{.Actor.Attributes.exitCode}}'])).toBe('die 3');
    expect(await s.svc.ok(['events', ...window, '--filter', 'type=volume', '--format', '{{.Action}} {{.Actor.ID}}'])).toBe('create evvol\ndestroy evvol');
    // The window's ends are honoured to the nanosecond: around the create, only the create.
    const times = await s.svc.ok(['events', ...window, '--filter', 'container=evented', '--format', '{{.Action}} {{.TimeNano}}']);
    const create = BigInt(/^create (\d+)$/m.exec(times)![1]);
    const sec = (ns: bigint) => `${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`;
    expect(await s.svc.ok(['events', '--since', sec(create), '--until', sec(create), '--filter', 'container=evented', '--format', '{{.Action}}'])).toBe('create');
    expect(await s.svc.ok(['events', '--since', sec(create + 1n), '--until', sec(create + 1n), '--filter', 'container=evented', '--format', '{{.Action}}'])).toBe('');
    const bad = await s.svc.docker(['events', ...window, '--filter', 'colour=red']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('invalid filter "colour=red"');
  });

  it('docker events without --since streams what happens from now on until it is stopped', async () => {
    // Something already in the file is not replayed.
    await s.env.ok(['volume', 'create', 'before']);
    const proc = execa(DOCKER_CLI, ['events', '--filter', 'type=volume', '--format', '{{.Action}} {{.Actor.ID}}'], {
      reject: false,
      env: { DOCKER_HOST: s.svc.host, DOCKER_CONFIG: `${s.env.dir}/docker-config` },
    });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      // Volumes made while it listens, until one shows up (the CLI's request is under way).
      let n = 0;
      expect(await until(async () => {
        await s.env.ok(['volume', 'create', `live${n++}`]);
        return out.includes('create live');
      })).toBe(true);
      const first = Number(/create live(\d+)/.exec(out)![1]);
      await s.env.ok(['volume', 'rm', 'before']);
      expect(await until(() => out.includes('destroy before'))).toBe(true);
      // Every volume made from the first one seen on, then the removal, and nothing from before.
      expect(out.trim().split('\n')).toEqual([...Array.from({ length: n - first }, (_, i) => `create live${first + i}`), 'destroy before']);
    } finally {
      proc.kill('SIGTERM');
      await proc;
      await s.env.pman(['volume', 'prune', '-f']);
    }
  });

  it('a dockerode stream loses nothing across rotations of the events file', async () => {
    const small = { PMAN_EVENTS_MAX_SIZE: '700' };
    const docker = new Docker({ socketPath: s.svc.socket });
    const stream = (await docker.getEvents({ since: unixNow() - 1, filters: { type: ['volume'] } })) as unknown as Readable;
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    const events = () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as DockerEv);
    const made: string[] = [];
    try {
      await s.env.ok(['volume', 'create', 'rot-start'], { env: small });
      expect(await until(() => events().some((e) => e.id === 'rot-start'))).toBe(true);
      // Batches of about the limit, each read before the next (the guarantee docs/events.md
      // gives): five volumes made one by one, then removed by one command, whose five events
      // follow each other closely, so that some rotations happen in the middle of such a burst.
      for (let b = 0; b < 6; b++) {
        const batch = Array.from({ length: 5 }, (_, i) => `rot${b}-${i}`);
        for (const n of batch) await s.env.ok(['volume', 'create', n], { env: small });
        await s.env.ok(['volume', 'rm', ...batch], { env: small });
        made.push(...batch);
        expect(await until(() => events().some((e) => e.id === batch[4] && e.Action === 'destroy'))).toBe(true);
      }
    } finally {
      stream.destroy();
      await s.env.pman(['volume', 'rm', 'rot-start']);
    }
    const seen = events().filter((e) => e.id.startsWith('rot') && e.id !== 'rot-start');
    const batches = Array.from({ length: 6 }, (_, b) => made.slice(b * 5, b * 5 + 5));
    expect(seen.map((e) => `${e.Action} ${e.id}`)).toEqual(batches.flatMap((batch) => [...batch.map((n) => `create ${n}`), ...batch.map((n) => `destroy ${n}`)]));
    // The file was rotated: a reader starting now finds only its newest part.
    const now = await s.env.ok(['events', '--stream=false', '--filter', 'type=volume', '--format', '{{.Name}}']);
    expect(now.split('\n').filter((n) => n.startsWith('rot')).length).toBeLessThan(made.length * 2);
  });
});
