// docker-compose 1.29 (Debian's) against `pman system service`: a web server publishing a port
// and a client reaching it by service name on the project network; ps, logs, exec, down.
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { until } from '../harness.js';
import { freePort } from '../registry/rig/ports.js';
import { httpGet, useApiService } from './api-service.js';

const s = useApiService();

function compose(file: string, args: string[]) {
  return execa('docker-compose', ['-p', 'apitest', '-f', file, ...args], { reject: false, env: { DOCKER_HOST: s.svc.host }, timeout: 180_000 });
}

describe('docker-compose through pman system service', () => {
  it('up -d, ps, logs, exec and down of a web server and a client that reaches it by name', async () => {
    const port = await freePort();
    const file = path.join(s.env.dir, 'docker-compose.yml');
    // A subnet of the test's own: the host may hold other stores' networks on pman's automatic ones.
    const subnet = `10.246.${(process.pid % 250) + 1}.0/24`;
    fs.writeFileSync(
      file,
      [
        'version: "3.7"',
        'services:',
        '  web:',
        '    image: localhost/busybox:latest',
        '    command: ["httpd", "-f", "-p", "80", "-h", "/etc"]',
        `    ports: ["127.0.0.1:${port}:80"]`,
        '  client:',
        '    image: localhost/busybox:latest',
        '    command: ["sh", "-c", "until wget -q -O /tmp/got http://web/hostname; do sleep 0.2; done; echo reached-web; sleep 300"]',
        '    depends_on: [web]',
        'networks:',
        '  default:',
        '    ipam:',
        `      config: [{subnet: "${subnet}"}]`,
        '',
      ].join('\n'),
    );
    try {
      const up = await compose(file, ['up', '-d']);
      expect(up.exitCode).toBe(0);
      expect(await s.env.ok(['ps', '--sort', 'names', '--format', '{{.Names}} {{.State}}'])).toBe('apitest_client_1 running\napitest_web_1 running');
      const ps = await compose(file, ['ps']);
      expect(String(ps.stdout).split('\n').filter((l) => /^apitest_/.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(['apitest_client_1', 'apitest_web_1']);
      const logs = await until(async () => String((await compose(file, ['logs', '--no-color', 'client'])).stdout).includes('reached-web'), 60_000, 200);
      expect(logs).toBe(true);
      const hostname = await s.env.ok(['inspect', '--format', '{{.Config.Hostname}}', 'apitest_web_1']);
      const exec = await compose(file, ['exec', '-T', 'web', 'cat', '/etc/hostname']);
      expect({ exitCode: exec.exitCode, stdout: String(exec.stdout).trim() }).toEqual({ exitCode: 0, stdout: hostname });
      expect((await httpGet(port, '/hostname')).trim()).toBe(hostname);
      const down = await compose(file, ['down', '-t', '1']);
      expect(down.exitCode).toBe(0);
      expect(await s.env.ok(['ps', '-aq'])).toBe('');
      expect(await s.env.ok(['network', 'ls', '--format', '{{.Name}}', '--filter', 'name=apitest'])).toBe('');
    } finally {
      await compose(file, ['down', '-t', '0']);
    }
  }, 300_000);
});
