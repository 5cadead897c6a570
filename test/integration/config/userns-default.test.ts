// The default user namespace mode (docs/userns.md, "The default mode"): --userns, then
// PODMAN_USERNS, then containers.conf's userns, as podman 4.3.1 orders them, for run/create, pods,
// kube play and the Docker API's create (with its HostConfig.UsernsMode). The modes that show a
// difference inside a root container are host and auto, so the test points
// CONTAINERS_STORAGE_CONF at a storage.conf naming its own pool user and adds that user's line to
// /etc/subuid and /etc/subgid for the file's duration (as userns-auto.test.ts does, with another
// user and range, so the two files never touch each other's lines). Each source gives its own
// size= so the uid_map tells which one won.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { TestEnv } from '../harness.js';
import { ApiService } from '../api/api-service.js';

const POOL_USER = 'pmanusernsdefault';
const POOL_START = 3_410_000;
const SUBLINE = `${POOL_USER}:${POOL_START}:4096`;
const HOST_MAP = [[0, 0, 4294967295]];
const editSubIds = (script: string) => execFileSync('flock', ['/tmp/pman-rootless-users.lock', 'sh', '-ec', script], { stdio: ['ignore', 'ignore', 'pipe'] });

let env: TestEnv;
let files: { storage: string; auto: string; bad: string; badType: string; big: string };
beforeAll(async () => {
  env = await TestEnv.create();
  // runc mounts from inside the user namespace: the test's 0700 directory must let it through.
  fs.chmodSync(env.dir, 0o711);
  const write = (name: string, text: string) => {
    const file = path.join(env.dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  files = {
    storage: write('storage.conf', `[storage]\ndriver = "overlay"\n\n[storage.options]\nroot-auto-userns-user = "${POOL_USER}"\n`),
    auto: write('auto.conf', '[containers]\nuserns = "auto:size=1100"\nuserns_size = 5000\n'),
    bad: write('bad.conf', '[containers]\nuserns = "private"\n'),
    badType: write('bad-type.conf', '[containers]\n\nuserns = true\n'),
    big: write('big.conf', '[containers]\nuserns = "auto:size=5000"\n'),
  };
  editSubIds(['/etc/subuid', '/etc/subgid'].map((f) => `grep -qx '${SUBLINE}' ${f} || echo '${SUBLINE}' >> ${f}`).join('\n'));
});
afterAll(async () => {
  await env.cleanup();
  editSubIds(['/etc/subuid', '/etc/subgid'].map((f) => `sed -i '/^${POOL_USER}:/d' ${f}`).join('\n'));
});

/** The environment of a command: the pool's storage.conf, a containers.conf, PODMAN_USERNS. */
function envOf(conf?: string, podmanUserns?: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, CONTAINERS_STORAGE_CONF: files.storage, CONTAINERS_CONF: conf ?? path.join(env.dir, 'none.conf') };
  // Empty is unset (podman's rule), also when the test's own environment sets it.
  e.PODMAN_USERNS = podmanUserns ?? '';
  return e;
}
/** /proc/self/uid_map lines as [inside, outside, count] numbers. */
const mapOf = (text: string) => text.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
const uidMap = async (args: string[], e: NodeJS.ProcessEnv) => mapOf(await env.ok(['run', '--rm', '--network', 'none', ...args, 'busybox', 'cat', '/proc/self/uid_map'], { env: e }));

describe('the default user namespace mode', () => {
  it('is --userns, else PODMAN_USERNS, else containers.conf userns, inside the container', async () => {
    // containers.conf alone: its mode with its options (podman 4.3.1 drops the options; later podman keeps them).
    expect(await uidMap([], envOf(files.auto))).toEqual([[0, POOL_START, 1100]]);
    // PODMAN_USERNS over the file.
    expect(await uidMap([], envOf(files.auto, 'auto:size=1200'))).toEqual([[0, POOL_START, 1200]]);
    expect(await uidMap([], envOf(files.auto, 'host'))).toEqual(HOST_MAP);
    // The flag over both; an empty flag counts as not given, as in podman.
    expect(await uidMap(['--userns', 'host'], envOf(files.auto, 'auto:size=1200'))).toEqual(HOST_MAP);
    expect(await uidMap(['--userns='], envOf(files.auto, 'auto:size=1200'))).toEqual([[0, POOL_START, 1200]]);
    // ID-map flags choose the namespace themselves: neither default applies (podman: "private").
    expect(await uidMap(['--uidmap', '0:200000:2000'], envOf(files.auto, 'auto'))).toEqual([[0, 200000, 2000]]);
    // Nothing set: the host's user namespace.
    expect(await uidMap([], envOf())).toEqual(HOST_MAP);
    expect((await env.ok(['ps', '-aq'])).trim()).toBe('');
  });

  it('refuses a bad mode from either source in one line naming it, creating nothing; a source above it wins without reading it', async () => {
    const bad = await env.pman(['create', 'busybox', 'true'], { env: envOf(files.bad) });
    expect(bad).toMatchObject({ exitCode: 125, stderr: `Error: invalid userns in containers.conf (${files.bad}) "private": use host, or auto[:size=N][,uidmapping=…][,gidmapping=…] (root only)` });
    const badType = await env.pman(['create', 'busybox', 'true'], { env: envOf(files.badType) });
    expect(badType).toMatchObject({ exitCode: 125, stderr: `Error: invalid containers.conf "${files.badType}": line 3: containers.userns must be a string` });
    const keepId = await env.pman(['create', 'busybox', 'true'], { env: envOf(undefined, 'keep-id') });
    expect(keepId).toMatchObject({ exitCode: 125, stderr: 'Error: PODMAN_USERNS "keep-id" only applies to rootless containers (it maps your own uid into the container); as root use host or leave it out' });
    const option = await env.pman(['create', 'busybox', 'true'], { env: envOf(undefined, 'auto:size=lots') });
    expect(option).toMatchObject({ exitCode: 125, stderr: 'Error: invalid PODMAN_USERNS "auto:size=lots": size must be a whole number from 1 to 4294967295, not "lots"' });
    // Refusals of the auto mode itself, before and during the allocation, say where it came from.
    await env.ok(['create', '--name', 'peer', '--network', 'none', 'busybox', 'true'], { env: envOf() });
    try {
      const joins = await env.pman(['create', '--network', 'container:peer', 'busybox', 'true'], { env: envOf(undefined, 'auto') });
      expect(joins).toMatchObject({
        exitCode: 125,
        stderr: 'Error: cannot give a container ID maps and --network container:peer: that network namespace belongs to the host\'s user namespace, which the container\'s processes cannot enter from their own (PODMAN_USERNS is "auto")',
      });
    } finally {
      await env.pman(['rm', 'peer']);
    }
    const pool = await env.pman(['create', 'busybox', 'true'], { env: envOf(files.big) });
    expect(pool).toMatchObject({
      exitCode: 125,
      stderr: expect.stringMatching(new RegExp(`^Error: cannot give container [0-9a-f]{12} a user namespace of 5000 UIDs with --userns=auto: only 4096 of the 4096 UIDs .* \\(userns in containers.conf \\(${files.big}\\) is "auto:size=5000"\\)$`)),
    });
    expect((await env.ok(['ps', '-aq'])).trim()).toBe('');
    // PODMAN_USERNS or the flag above the file's bad mode: it is never used, so never refused (podman alike).
    try {
      for (const [args, e] of [[['--name', 'over-env'], envOf(files.bad, 'host')], [['--name', 'over-flag', '--userns', 'host'], envOf(files.bad)]] as const) {
        await env.ok(['create', ...args, 'busybox', 'true'], { env: e });
      }
      expect(await env.ok(['inspect', '--format', '{{.HostConfig.UsernsMode}}|', 'over-env', 'over-flag'])).toBe('|\n|');
    } finally {
      await env.pman(['rm', 'over-env', 'over-flag']);
    }
  });

  it("a pod member gets no default; a pod's infra is not made under a PODMAN_USERNS pman's pods cannot share", async () => {
    const e = envOf(files.auto, 'auto');
    await env.ok(['pod', 'create', '--infra=false', 'noinfra'], { env: e });
    try {
      expect(await uidMap(['--pod', 'noinfra'], e)).toEqual(HOST_MAP);
    } finally {
      await env.ok(['pod', 'rm', 'noinfra']);
    }
    const refusal = (what: string) => `Error: cannot ${what} with PODMAN_USERNS "auto": podman would give the pod's containers a user namespace of their own, shared by the pod, and pman's pods share the host's; unset PODMAN_USERNS (or set it to host) for this command`;
    expect(await env.pman(['pod', 'create', 'withinfra'], { env: e })).toMatchObject({ exitCode: 125, stderr: refusal('create the pod') });
    expect(await env.pman(['create', '--pod', 'new:newpod', 'busybox', 'true'], { env: e })).toMatchObject({ exitCode: 125, stderr: refusal('create a pod with --pod new:') });
    const yaml = path.join(env.dir, 'pod.yaml');
    fs.writeFileSync(yaml, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kp\nspec:\n  containers:\n  - name: c\n    image: busybox\n');
    expect(await env.pman(['kube', 'play', yaml], { env: e })).toMatchObject({ exitCode: 125, stderr: refusal('play pods') });
    expect([(await env.ok(['pod', 'ps', '-q'])).trim(), (await env.ok(['ps', '-aq'])).trim()]).toEqual(['', '']);
  });
});

/** One request to the service's socket: status and parsed JSON body. */
function request(socket: string, method: string, p: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ socketPath: socket, method, path: p, headers: data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {} }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

describe("the API's HostConfig.UsernsMode", () => {
  it('is the mode podman\'s compat API takes; empty is the service\'s PODMAN_USERNS, then containers.conf; inspect shows "private" or ""', async () => {
    const svc = await ApiService.start(env, { env: envOf(files.auto, 'auto:size=1300') });
    const made: string[] = [];
    const create = async (name: string, host: Record<string, unknown>) => {
      const r = await request(svc.socket, 'POST', `/containers/create?name=${name}`, { Image: 'busybox', Cmd: ['cat', '/proc/self/uid_map'], HostConfig: { NetworkMode: 'none', ...host } });
      if (r.status === 201) made.push(name);
      return r;
    };
    const shown = async (name: string) => {
      const h = (await request(svc.socket, 'GET', `/containers/${name}/json`)).json.HostConfig as Record<string, unknown>;
      return [h.UsernsMode, (h.IDMappings as Record<string, unknown> | undefined)?.UidMap];
    };
    try {
      // The docker CLI sends no UsernsMode: the service's PODMAN_USERNS, above its containers.conf.
      expect(mapOf(await svc.ok(['run', '--name', 'dflt', '--network', 'none', 'busybox', 'cat', '/proc/self/uid_map']))).toEqual([[0, POOL_START, 1300]]);
      made.push('dflt');
      expect(await shown('dflt')).toEqual(['private', [`0:${POOL_START}:1300`]]);
      expect(mapOf(await svc.ok(['run', '--rm', '--userns', 'host', '--network', 'none', 'busybox', 'cat', '/proc/self/uid_map']))).toEqual(HOST_MAP);
      expect((await create('given', { UsernsMode: 'auto:size=1400' })).status).toBe(201);
      expect(await shown('given')).toEqual(['private', [`0:${POOL_START + 1300}:1400`]]);
      expect((await create('hostmode', { UsernsMode: 'host' })).status).toBe(201);
      expect(await shown('hostmode')).toEqual(['', undefined]);
      expect(await create('bad', { UsernsMode: 'nomap' })).toEqual({ status: 400, json: { message: 'invalid HostConfig.UsernsMode "nomap": use host, or auto[:size=N][,uidmapping=…][,gidmapping=…] (root only)' } });
      expect(await create('badtype', { UsernsMode: 7 })).toEqual({ status: 400, json: { message: 'invalid UsernsMode: expected a string' } });
    } finally {
      await svc.stop();
      if (made.length) await env.pman(['rm', '-f', ...made]);
    }
  });
});
