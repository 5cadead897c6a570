// The docker CLI (20.10, API 1.41) against `pman system service`: lifecycle, output, ports,
// logs, images, networks and volumes (events: events.test.ts), and what it makes is what `pman` sees.
import path from 'node:path';
import { until } from '../harness.js';
import { startRegistry } from '../registry/rig/registry-server.js';
import { httpGet, useApiService } from './api-service.js';

const s = useApiService();

describe('docker CLI through pman system service', () => {
  it('version and info report the API version and this store', async () => {
    expect(await s.svc.ok(['version', '--format', '{{.Server.APIVersion}} {{.Server.Os}}'])).toBe('1.41 linux');
    await s.env.ok(['create', '--name', 'counted', 'busybox', 'true']);
    try {
      const info = JSON.parse(await s.svc.ok(['info', '--format', '{{json .}}'])) as Record<string, unknown>;
      expect(info.DockerRootDir).toBe(s.env.root);
      expect(info.Containers).toBe(1);
      expect(info.Images).toBe(1);
    } finally {
      await s.env.ok(['rm', 'counted']);
    }
  });

  it('run --rm relays output and the exit code, and leaves no container', async () => {
    const r = await s.svc.docker(['run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toMatchObject({ exitCode: 3, stdout: 'out', stderr: 'err' });
    expect(await s.env.ok(['ps', '-aq'])).toBe('');
  });

  it('run without -i gets no input and a container made by docker run is the one pman lists', async () => {
    const id = await s.svc.ok(['run', '-d', '--name', 'seen', '--label', 'via=api', 'busybox', 'sleep', '300']);
    try {
      expect(await s.env.ok(['ps', '--no-trunc', '--format', '{{.ID}} {{.Names}} {{.State}}'])).toBe(`${id} seen running`);
      expect(await s.svc.ok(['inspect', '-f', '{{.Name}} {{.State.Running}} {{index .Config.Labels "via"}}', 'seen'])).toBe('/seen true api');
    } finally {
      await s.svc.ok(['rm', '-f', 'seen']);
    }
    expect(await s.env.ok(['ps', '-aq'])).toBe('');
  });

  it('a container made by pman is listed, stopped and waited for through the API', async () => {
    await s.env.ok(['run', '-d', '--name', 'made-by-pman', 'busybox', 'sh', '-c', 'trap "exit 7" TERM; while :; do sleep 0.1; done']);
    try {
      expect(await s.svc.ok(['ps', '--format', '{{.Names}} {{.Image}}'])).toBe('made-by-pman localhost/busybox:latest');
      const waited = s.svc.docker(['wait', 'made-by-pman']);
      await s.svc.ok(['stop', 'made-by-pman']);
      expect((await waited).stdout).toBe('7');
      expect(await s.env.ok(['ps', '-a', '--format', '{{.Status}}'])).toMatch(/^Exited \(7\)/);
    } finally {
      await s.env.pman(['rm', '-f', 'made-by-pman']);
    }
  });

  it('run -d -p publishes the port; kill and rm -f end it', async () => {
    const id = await s.svc.ok(['run', '-d', '-p', '127.0.0.1::80', 'busybox', 'httpd', '-f', '-p', '80', '-h', '/etc']);
    try {
      const port = Number((await s.svc.ok(['port', id, '80/tcp'])).split(':').pop());
      expect(port).toBeGreaterThan(0);
      const hostname = await until(() => httpGet(port, '/hostname').catch(() => ''), 30_000, 100);
      expect(hostname.trim()).toBe(id.slice(0, 12));
      expect(await s.svc.ok(['ps', '--format', '{{.Ports}}'])).toBe(`127.0.0.1:${port}->80/tcp`);
      // The list's networks are the ones inspect shows (the list builds them on its own).
      const networks = await s.svc.ok(['inspect', '-f', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}', id]);
      expect(networks).not.toBe('');
      expect(await s.svc.ok(['ps', '--format', '{{.Networks}}'])).toBe(networks);
      await s.svc.ok(['kill', id]);
      expect(await s.svc.ok(['wait', id])).toBe('137');
      expect(await s.svc.ok(['inspect', '-f', '{{.State.Status}} {{.State.ExitCode}}', id])).toBe('exited 137');
    } finally {
      await s.svc.docker(['rm', '-f', id]);
    }
    expect((await s.svc.docker(['inspect', id])).exitCode).toBe(1);
  });

  it('logs -f follows the output and ends with the final line when the container exits', async () => {
    const id = await s.svc.ok(['run', '-d', 'busybox', 'sh', '-c', 'echo first; read x < /dev/null; i=0; while [ ! -e /go ]; do sleep 0.05; done; echo last >&2']);
    try {
      const logs = s.svc.docker(['logs', '-f', id]);
      await until(async () => (await s.svc.ok(['logs', id])) === 'first');
      await s.svc.ok(['exec', id, 'touch', '/go']);
      const r = await logs;
      expect(r).toMatchObject({ exitCode: 0, stdout: 'first', stderr: 'last' });
    } finally {
      await s.svc.docker(['rm', '-f', id]);
    }
  });

  it('exec relays piped input to its end (half-close) and returns the exit code', async () => {
    const id = await s.svc.ok(['run', '-d', 'busybox', 'sleep', '300']);
    try {
      const r = await s.svc.docker(['exec', '-i', id, 'sh', '-c', 'cat; echo done; exit 4'], { input: 'piped\n' });
      expect(r).toMatchObject({ exitCode: 4, stdout: 'piped\ndone' });
      expect(await s.svc.ok(['top', id])).toMatch(/sleep 300/);
    } finally {
      await s.svc.docker(['rm', '-f', id]);
    }
  });

  it('errors come back as the server message with Docker\'s status codes', async () => {
    const missing = await s.svc.docker(['rm', 'no-such-ctr']);
    expect(missing.exitCode).toBe(1);
    // The CLI words a 404 itself.
    expect(missing.stderr).toBe('Error: No such container: no-such-ctr');
    await s.env.ok(['create', '--name', 'taken', 'busybox', 'true']);
    try {
      const dup = await s.svc.docker(['create', '--name', 'taken', 'busybox', 'true']);
      expect(dup.exitCode).toBe(1);
      expect(dup.stderr).toMatch(/Error response from daemon: .*"taken"/);
    } finally {
      await s.env.ok(['rm', 'taken']);
    }
  });

  it('images, tag, save, rmi and load', async () => {
    expect(await s.svc.ok(['images', '--format', '{{.Repository}}:{{.Tag}}'])).toBe('localhost/busybox:latest');
    await s.svc.ok(['tag', 'busybox', 'example.test/mine:v1']);
    expect((await s.env.ok(['images', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n').sort()).toEqual(['example.test/mine:v1', 'localhost/busybox:latest']);
    const tar = `${s.env.dir}/saved.tar`;
    await s.svc.ok(['save', '-o', tar, 'example.test/mine:v1']);
    expect(await s.svc.ok(['rmi', 'example.test/mine:v1'])).toBe('Untagged: example.test/mine:v1');
    expect(await s.svc.ok(['load', '-i', tar])).toBe('Loaded image: example.test/mine:v1');
    expect((await s.env.ok(['images', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n').sort()).toEqual(['example.test/mine:v1', 'localhost/busybox:latest']);
    await s.env.ok(['untag', 'example.test/mine:v1', 'example.test/mine:v1']);
  });

  it('network and volume ls/create/rm (the network dual stack: --ipv6 goes through EnableIPv6)', async () => {
    await s.svc.ok(['network', 'create', '--ipv6', 'apinet']);
    await s.svc.ok(['volume', 'create', 'apivol']);
    try {
      expect(await s.svc.ok(['network', 'ls', '--format', '{{.Name}}', '--filter', 'name=apinet'])).toBe('apinet');
      expect(await s.env.ok(['network', 'ls', '--format', '{{.Name}}', '--filter', 'name=apinet'])).toBe('apinet');
      const [enabled, subnets] = (await s.env.ok(['network', 'inspect', '--format', '{{.IPv6Enabled}} {{json .Subnets}}', 'apinet'])).split(' ');
      expect([enabled, (JSON.parse(subnets) as Array<{ subnet: string }>)[1]?.subnet]).toEqual(['true', expect.stringMatching(/^fd[0-9a-f]{2}:.*::\/64$/)]);
      expect(await s.svc.ok(['volume', 'ls', '--format', '{{.Name}} {{.Driver}}'])).toBe('apivol local');
      const out = await s.svc.ok(['run', '--rm', '--network', 'apinet', '-v', 'apivol:/data', 'busybox', 'sh', '-c', 'echo kept > /data/f; ip -4 -o addr show eth0 | wc -l; ip -6 -o addr show eth0 scope global | wc -l']);
      expect(out).toBe('1\n1');
      expect(await s.env.ok(['run', '--rm', '-v', 'apivol:/data', 'busybox', 'cat', '/data/f'])).toBe('kept');
    } finally {
      await s.svc.docker(['network', 'rm', 'apinet']);
      await s.svc.docker(['volume', 'rm', 'apivol']);
    }
    expect(await s.env.ok(['volume', 'ls', '-q'])).toBe('');
    expect(await s.svc.ok(['network', 'ls', '--format', '{{.Name}}', '--filter', 'name=apinet'])).toBe('');
  });

  it('push to and pull from a registry on loopback, with Docker\'s progress lines', async () => {
    const reg = await startRegistry({ dir: path.join(s.env.dir, 'registry') });
    const ref = `${reg.host}/api/busybox:1`;
    try {
      await s.svc.ok(['tag', 'busybox', ref]);
      const pushed = await s.svc.ok(['push', ref]);
      expect(pushed).toMatch(/^1: digest: sha256:[0-9a-f]{64}/m);
      await s.svc.ok(['rmi', ref]);
      expect(await s.env.ok(['images', '--format', '{{.Repository}}'])).toBe('localhost/busybox');
      const pulled = await s.svc.ok(['pull', ref]);
      expect(pulled).toContain(`Status: Downloaded newer image for ${ref}`);
      expect((await s.env.ok(['images', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n').sort()).toEqual([`${reg.host}/api/busybox:1`, 'localhost/busybox:latest']);
      const missing = await s.svc.docker(['pull', `${reg.host}/api/nothing:1`]);
      expect(missing.exitCode).toBe(1);
      expect(missing.stderr).toContain('api/nothing');
    } finally {
      await s.env.pman(['rmi', ref]);
      await reg.stop();
    }
  });
});
