// Node's Docker clients against `pman system service`: dockerode (the API client most Node
// tools use) and testcontainers-node 11 (a GenericContainer with an exposed port, waiting for a
// log line and the port, exec, stop, remove). testcontainers' reaper (ryuk) is disabled: it is
// an image of its own that would need a registry; each test removes what it started.
import Docker from 'dockerode';
import { httpGet, useApiService } from './api-service.js';

const s = useApiService();

describe('Node clients through pman system service', () => {
  it('dockerode creates, starts, inspects, execs in and removes a container', async () => {
    const docker = new Docker({ socketPath: s.svc.socket });
    const c = await docker.createContainer({ Image: 'localhost/busybox:latest', Cmd: ['sleep', '300'], Labels: { by: 'dockerode' } });
    try {
      await c.start();
      const info = await c.inspect();
      expect({ running: info.State.Running, label: info.Config.Labels.by }).toEqual({ running: true, label: 'dockerode' });
      const exec = await c.exec({ Cmd: ['sh', '-c', 'echo from-exec; exit 3'], AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({ hijack: true, stdin: false });
      const chunks: Buffer[] = [];
      await new Promise<void>((resolve) => {
        stream.on('data', (d: Buffer) => chunks.push(d));
        stream.on('end', () => resolve());
        stream.on('close', () => resolve());
      });
      const all = Buffer.concat(chunks);
      // One stdout frame: type 1, length 10, "from-exec\n".
      expect([...all.subarray(0, 8)]).toEqual([1, 0, 0, 0, 0, 0, 0, 10]);
      expect(all.subarray(8).toString()).toBe('from-exec\n');
      expect((await exec.inspect()).ExitCode).toBe(3);
      expect(await s.env.ok(['ps', '--format', '{{.Labels}}'])).toContain('by:dockerode');
    } finally {
      await c.remove({ force: true });
    }
    expect(await s.env.ok(['ps', '-aq'])).toBe('');
  });

  it('testcontainers starts a GenericContainer, waits for its log line and port, execs and stops it', async () => {
    process.env.DOCKER_HOST = s.svc.host;
    process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
    const { GenericContainer, Wait } = await import('testcontainers');
    const started = await new GenericContainer('localhost/busybox:latest')
      .withCommand(['sh', '-c', 'echo "serving now"; exec httpd -f -p 80 -h /etc'])
      .withExposedPorts(80)
      .withWaitStrategy(Wait.forAll([Wait.forLogMessage('serving now'), Wait.forListeningPorts()]))
      .start();
    try {
      const port = started.getMappedPort(80);
      expect((await httpGet(port, '/hostname')).trim()).toBe(started.getId().slice(0, 12));
      const r = await started.exec(['sh', '-c', 'echo in-container; exit 2']);
      expect({ exitCode: r.exitCode, output: r.output.trim() }).toEqual({ exitCode: 2, output: 'in-container' });
      const stopped = await started.stop();
      expect(stopped.getId()).toBe(started.getId());
    } finally {
      await s.env.pman(['rm', '-f', started.getId()]);
    }
    expect(await s.env.ok(['ps', '-aq'])).toBe('');
  }, 180_000);
});
