// The endpoints the docker CLI and dockerode reach beyond run/ps/logs: docker cp both ways
// (archive HEAD/GET/PUT), diff (changes), stats (one sample and a stream), container prune,
// network connect/disconnect/inspect, volume inspect/prune; with and without the /v1.NN prefix.
import Docker from 'dockerode';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { until } from '../harness.js';
import { useApiService } from './api-service.js';

const s = useApiService();

/** GET on the service's socket: status and body. */
function get(p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath: s.svc.socket, path: p }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('more endpoints through pman system service', () => {
  it('docker cp copies a directory into an existing directory and files back out; diff lists the changes', async () => {
    const id = await s.svc.ok(['run', '-d', 'busybox', 'sleep', '300']);
    const host = path.join(s.env.dir, 'cp');
    try {
      fs.mkdirSync(path.join(host, 'tree/sub'), { recursive: true });
      fs.writeFileSync(path.join(host, 'tree/sub/leaf'), 'leaf\n');
      await s.svc.ok(['cp', path.join(host, 'tree'), `${id}:/tmp`]);
      expect(await s.svc.ok(['exec', id, 'cat', '/tmp/tree/sub/leaf'])).toBe('leaf');
      // A file into a path that does not exist yet takes that name.
      await s.svc.ok(['cp', path.join(host, 'tree/sub/leaf'), `${id}:/tmp/renamed`]);
      expect(await s.svc.ok(['exec', id, 'cat', '/tmp/renamed'])).toBe('leaf');
      await s.svc.ok(['cp', `${id}:/tmp/tree`, path.join(host, 'back')]);
      expect(fs.readFileSync(path.join(host, 'back/sub/leaf'), 'utf8')).toBe('leaf\n');
      const missing = await s.svc.docker(['cp', `${id}:/no/such`, path.join(host, 'x')]);
      expect(missing.exitCode).toBe(1);
      expect(missing.stderr).toContain('/no/such');
      const diff = (await s.svc.ok(['diff', id])).split('\n');
      expect(diff).toEqual(expect.arrayContaining(['C /tmp', 'A /tmp/tree', 'A /tmp/tree/sub', 'A /tmp/tree/sub/leaf', 'A /tmp/renamed']));
    } finally {
      await s.svc.docker(['rm', '-f', id]);
    }
  });

  it('stats gives one sample or a stream; prune removes only stopped containers', async () => {
    const docker = new Docker({ socketPath: s.svc.socket });
    const id = await s.svc.ok(['run', '-d', '--name', 'measured', 'busybox', 'sh', '-c', 'sleep 300 & sleep 300 & wait']);
    await s.svc.ok(['run', '--name', 'finished', 'busybox', 'true']);
    try {
      expect(await s.svc.ok(['stats', '--no-stream', '--format', '{{.Name}} {{.PIDs}}', 'measured'])).toBe('measured 3');
      const stream = (await docker.getContainer(id).stats({ stream: true })) as unknown as NodeJS.ReadableStream & { destroy(): void };
      let text = '';
      stream.on('data', (d: Buffer) => (text += d.toString()));
      try {
        // Two samples, the second with the first as its previous reading (so CPU % can be computed).
        expect(await until(() => text.split('\n').filter(Boolean).length >= 2, 60_000)).toBe(true);
      } finally {
        stream.destroy();
      }
      const [first, second] = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; read: string; preread: string; pids_stats: { current: number } });
      expect(first.id).toBe(id);
      expect(second.preread).toBe(first.read);
      expect(second.pids_stats.current).toBe(3);
      // rename: a running container takes its new name at once; a taken name is a conflict.
      await s.svc.ok(['rename', 'measured', 'weighed']);
      // pause and unpause: the state docker reads back, and pausing twice is refused.
      await s.svc.ok(['pause', 'weighed']);
      expect(await s.svc.ok(['inspect', '--format', '{{.State.Status}} {{.State.Paused}}', 'weighed'])).toBe('paused true');
      expect((await s.svc.docker(['pause', 'weighed'])).stderr).toMatch(/paused/);
      // docker ps lists a paused container as running, as dockerd; pman ps leaves it out without -a, as podman.
      expect(await s.svc.ok(['ps', '--filter', 'name=weighed', '--format', '{{.Names}}'])).toBe('weighed');
      expect(await s.env.ok(['ps', '--filter', 'name=weighed', '--format', '{{.Names}}'])).toBe('');
      await s.svc.ok(['unpause', 'weighed']);
      expect(await s.svc.ok(['inspect', '--format', '{{.State.Status}} {{.State.Paused}}', 'weighed'])).toBe('running false');
      const taken = await s.svc.docker(['rename', 'weighed', 'finished']);
      expect(taken.exitCode).not.toBe(0);
      expect(taken.stderr).toMatch(/"finished" is already in use/);
      const pruned = await s.svc.ok(['container', 'prune', '-f']);
      expect(pruned).toMatch(/^Deleted Containers:\n[0-9a-f]{64}\n/);
      expect(await s.env.ok(['ps', '-a', '--format', '{{.Names}}'])).toBe('weighed');
    } finally {
      await s.svc.docker(['rm', '-f', 'measured', 'weighed', 'finished']);
    }
  });

  it('network connect, inspect and disconnect; volume inspect and prune; paths with and without /v1.NN', async () => {
    await s.svc.ok(['network', 'create', 'joined']);
    const id = await s.svc.ok(['run', '-d', '--name', 'joiner', 'busybox', 'sleep', '300']);
    try {
      await s.svc.ok(['network', 'connect', 'joined', 'joiner']);
      expect(await s.svc.ok(['network', 'inspect', '-f', '{{range .Containers}}{{.Name}}{{end}}', 'joined'])).toBe('joiner');
      expect(await s.svc.ok(['exec', 'joiner', 'sh', '-c', 'ip -o -4 addr show | grep -c eth1'])).toBe('1');
      await s.svc.ok(['network', 'disconnect', 'joined', 'joiner']);
      expect(await s.svc.ok(['network', 'inspect', '-f', '{{len .Containers}}', 'joined'])).toBe('0');
      await s.svc.ok(['volume', 'create', '--label', 'k=v', 'kept']);
      expect(await s.svc.ok(['volume', 'inspect', '-f', '{{.Name}} {{.Driver}} {{.Labels.k}}', 'kept'])).toBe('kept local v');
      expect(await s.svc.ok(['volume', 'prune', '-f'])).toMatch(/^Deleted Volumes:\nkept\n/);
      for (const prefix of ['', '/v1.41', '/v1.24']) {
        const r = await get(`${prefix}/containers/${id}/json`);
        expect([r.status, (JSON.parse(r.body) as { Id: string }).Id]).toEqual([200, id]);
        expect((await get(`${prefix}/containers/nothing-here/top`)).status).toBe(404);
      }
    } finally {
      await s.svc.docker(['rm', '-f', id]);
      await s.svc.docker(['network', 'rm', 'joined']);
    }
  });
});
