// Container sizes through `pman system service`: `?size=1` on the list and on inspect fills
// SizeRw and SizeRootFs as `pman ps --size`/`inspect --size` compute them, and only then; and the
// inspect document's State.Health as Docker has it.
import http from 'node:http';
import { useApiService } from './api-service.js';

const s = useApiService();

/** GET on the service's socket: the parsed JSON body. */
function apiGet(p: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath: s.svc.socket, path: p }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          try {
            resolve(JSON.parse(body));
          } catch (err) {
            reject(new Error(`${p}: ${res.statusCode} ${body}: ${(err as Error).message}`));
          }
        });
      })
      .on('error', reject);
  });
}

describe('sizes through the API', () => {
  it('?size=1 fills SizeRw and SizeRootFs as pman computes them (docker ps -s, docker inspect -s), and only when asked', async () => {
    await s.env.ok(['run', '--name', 'sized', '--network', 'none', 'busybox', 'sh', '-c', 'dd if=/dev/zero of=/big bs=1k count=300 2>/dev/null']);
    await s.env.ok(['create', '--name', 'unsized', '--network', 'none', 'busybox', 'true']);
    try {
      const [doc] = JSON.parse(await s.env.ok(['inspect', '--size', 'sized'])) as Array<{ SizeRw: number; SizeRootFs: number }>;
      // The file and the 12-byte /etc/mtab link every started container gets (lib/oci/mtab.ts).
      expect(doc.SizeRw).toBe(300 * 1024 + 12);
      expect(await s.svc.ok(['inspect', '-s', '-f', '{{.SizeRw}} {{.SizeRootFs}}', 'sized'])).toBe(`${doc.SizeRw} ${doc.SizeRootFs}`);
      const dockerPs = await s.svc.ok(['ps', '-a', '-s', '--format', '{{.Names}} {{.Size}}']);
      expect(dockerPs).toMatch(/^unsized 0B \(virtual \S+\)\nsized 307kB \(virtual \S+\)$/);
      // The API lists newest first, as docker does; pman ps oldest first, as podman 4.3.1.
      expect(dockerPs).toBe((await s.env.ok(['ps', '-a', '--size', '--format', '{{.Names}} {{.Size}}'])).trim().split('\n').reverse().join('\n'));
      // Docker leaves a size of 0 out of the list entry (omitempty), not out of inspect.
      const list = (await apiGet('/v1.41/containers/json?all=1&size=1')) as Array<Record<string, unknown>>;
      const entry = (name: string) => list.find((c) => (c.Names as string[])[0] === `/${name}`)!;
      expect([entry('sized').SizeRw, entry('sized').SizeRootFs, entry('unsized').SizeRw, entry('unsized').SizeRootFs]).toEqual([doc.SizeRw, doc.SizeRootFs, undefined, doc.SizeRootFs]);
      expect(await apiGet('/v1.41/containers/unsized/json?size=true')).toMatchObject({ SizeRw: 0, SizeRootFs: doc.SizeRootFs });
      // Not asked: no walk, no keys.
      for (const c of (await apiGet('/v1.41/containers/json?all=1')) as Array<Record<string, unknown>>) expect(Object.keys(c).filter((k) => k.startsWith('Size'))).toEqual([]);
      expect(Object.keys((await apiGet('/v1.41/containers/sized/json')) as object).filter((k) => k.startsWith('Size'))).toEqual([]);
    } finally {
      await s.env.pman(['rm', '-f', 'sized', 'unsized']);
    }
  });

  it('inspect has no State.Health for a container without a check, as Docker (pman inspect has an empty one, as podman)', async () => {
    await s.env.ok(['create', '--name', 'nohealth', '--network', 'none', 'busybox', 'true']);
    try {
      expect(await s.svc.ok(['inspect', '-f', '{{json .State.Health}}', 'nohealth'])).toBe('null');
      expect(await s.env.ok(['inspect', '-f', '{{.State.Health.FailingStreak}}', 'nohealth'])).toBe('0');
    } finally {
      await s.env.pman(['rm', '-f', 'nohealth']);
    }
  });
});
