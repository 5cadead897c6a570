// containers.conf applied by the creators without a command line, `kube play` and the Docker API's
// create (`pman system service`), through the same resolution as `pman run`: each path makes one
// container that prints what the file set (env, ulimits, pids limit, umask, a pod's sysctl) and
// inspect shows the rest (log size). The file is the test's own, through CONTAINERS_CONF.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';
import { ApiService } from '../api/api-service.js';

const env = TestEnv.forFile();

const CONF = `[containers]
env = ["FROM_CONF=yes"]
default_ulimits = ["nofile=512:640"]
pids_limit = 77
umask = "0027"
log_size_max = 100000
default_sysctls = ["net.ipv4.ping_group_range=0 0"]
`;

/** What the container prints: env, nofile soft and hard, pids.max (v2 or v1), umask, the sysctl. */
const SCRIPT =
  'echo "$FROM_CONF"; ulimit -Sn; ulimit -Hn; cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max; umask; cat /proc/sys/net/ipv4/ping_group_range';

function confEnv(): NodeJS.ProcessEnv {
  const file = path.join(env.dir, 'containers.conf');
  fs.writeFileSync(file, CONF);
  return { CONTAINERS_CONF: file };
}

const LOG_SIZE = '{{.HostConfig.LogConfig.Size}}';

describe('containers.conf beyond run and create', () => {
  it('kube play gives its containers the defaults, and the pod the sysctls', async () => {
    const yaml = path.join(env.dir, 'pod.yaml');
    fs.writeFileSync(
      yaml,
      `apiVersion: v1
kind: Pod
metadata:
  name: kconf
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: busybox
    command: ["sh", "-c", ${JSON.stringify(SCRIPT)}]
`,
    );
    try {
      await env.ok(['kube', 'play', yaml], { env: { ...process.env, ...confEnv() } });
      expect((await env.ok(['wait', 'kconf-c'])).trim()).toBe('0');
      expect((await env.ok(['logs', 'kconf-c'])).split('\n')).toEqual(['yes', '512', '640', '77', '0027', '0\t0']);
      expect((await env.ok(['inspect', 'kconf-c', '--format', LOG_SIZE])).trim()).toBe('100KB');
    } finally {
      await env.pman(['kube', 'down', yaml]);
    }
  });

  it("the API's container create applies the defaults the service read when it started", async () => {
    const svc = await ApiService.start(env, { env: confEnv() });
    try {
      const r = await svc.docker(['run', '--name', 'apiconf', '--network', 'none', 'busybox', 'sh', '-c', SCRIPT]);
      expect(r).toMatchObject({ exitCode: 0, stdout: ['yes', '512', '640', '77', '0027', '0\t0'].join('\n') });
      expect((await env.ok(['inspect', 'apiconf', '--format', LOG_SIZE])).trim()).toBe('100KB');
    } finally {
      await svc.stop();
      await env.pman(['rm', '-f', 'apiconf']);
    }
  });
});
