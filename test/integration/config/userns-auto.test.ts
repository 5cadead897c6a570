// --userns=auto for root containers (docs/userns.md): host IDs allocated per container from the
// /etc/subuid and /etc/subgid ranges of storage.conf's root-auto-userns-user, never two
// containers the same, freed by rm. Real runc, idmapped layers. The test names its own pool user
// in a storage.conf it points CONTAINERS_STORAGE_CONF at, and adds that user's line to
// /etc/subuid and /etc/subgid for the file's duration: the machine's "containers" entry (podman's)
// is neither needed nor touched.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv, until } from '../harness.js';

const POOL_USER = 'pmanautotest';
const POOL_START = 3_400_000;
// Room for two containers of the default 1024 IDs (busybox needs fewer than auto-userns-min-size).
const SUBLINE = `${POOL_USER}:${POOL_START}:2048`;
const editSubIds = (script: string) => execFileSync('flock', ['/tmp/pman-rootless-users.lock', 'sh', '-ec', script], { stdio: ['ignore', 'ignore', 'pipe'] });

let env: TestEnv;
let conf: Record<string, string>;
beforeAll(async () => {
  env = await TestEnv.create();
  // runc mounts from inside the user namespace: the test's 0700 directory must let it through.
  fs.chmodSync(env.dir, 0o711);
  const file = path.join(env.dir, 'storage.conf');
  fs.writeFileSync(file, `[storage]\ndriver = "overlay"\n\n[storage.options]\nroot-auto-userns-user = "${POOL_USER}"\n`);
  conf = { CONTAINERS_STORAGE_CONF: file };
  editSubIds(['/etc/subuid', '/etc/subgid'].map((f) => `grep -qx '${SUBLINE}' ${f} || echo '${SUBLINE}' >> ${f}`).join('\n'));
});
afterAll(async () => {
  await env.cleanup();
  editSubIds(['/etc/subuid', '/etc/subgid'].map((f) => `sed -i '/^${POOL_USER}:/d' ${f}`).join('\n'));
});

const pman = (args: string[]) => env.pman(args, { env: conf });
const ok = (args: string[]) => env.ok(args, { env: conf });
/** /proc/self/uid_map or gid_map lines as [inside, outside, count] numbers. */
const mapOf = (text: string) => text.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));

describe('--userns=auto', () => {
  it('gives two containers created at once disjoint ranges with root-owned image files, shows them in inspect as podman does, frees a range at rm for the next', async () => {
    const shared = fs.mkdtempSync(path.join(env.dir, 'shared-'));
    fs.chmodSync(shared, 0o755);
    const created = await Promise.all(['a', 'b'].map((n) => ok(['run', '-d', '--name', `auto-${n}`, '--userns=auto', '-v', `${shared}:/shared:idmap`, 'busybox', 'sleep', '1000'])));
    const [a, b] = created.map((s) => s.trim());
    try {
      const inside = await Promise.all([a, b].map((id) => ok(['exec', id, 'sh', '-c', 'cat /proc/self/uid_map; cat /proc/self/gid_map; stat -c "%u:%g" / /bin/busybox /etc/passwd /etc/hosts; touch /shared/$(hostname)'])));
      const starts: number[] = [];
      for (const text of inside) {
        const lines = text.trim().split('\n');
        const [uidMap, gidMap] = [mapOf(lines[0]), mapOf(lines[1])];
        expect(uidMap).toEqual([[0, expect.any(Number), 1024]]);
        expect(gidMap).toEqual(uidMap);
        starts.push(uidMap[0][1]);
        expect(lines.slice(2)).toEqual(['0:0', '0:0', '0:0', '0:0']);
      }
      // The pool holds exactly these two: one each, in either order.
      expect(starts.sort()).toEqual([POOL_START, POOL_START + 1024]);
      // The idmap bind: what the container's root writes is host root's.
      expect(fs.readdirSync(shared).map((f) => fs.statSync(path.join(shared, f)).uid)).toEqual([0, 0]);
      const shown = await ok(['inspect', '--format', '{{.HostConfig.UsernsMode}} {{json .HostConfig.IDMappings}}', a]);
      const aStart = mapOf((await ok(['exec', a, 'cat', '/proc/self/uid_map'])))[0][1];
      expect(shown.trim()).toBe(`private {"UidMap":["0:${aStart}:1024"],"GidMap":["0:${aStart}:1024"]}`);
      // Running auto containers, their namespaces and reservations gone: nothing for system check.
      expect(fs.readdirSync(path.join(env.root, 'userns-auto'))).toEqual([]);
      expect(await pman(['system', 'check'])).toEqual({ exitCode: 0, stdout: 'no problems found', stderr: '' });
      // The pool is used up: a third is refused in one line, creating nothing.
      const third = await pman(['create', '--name', 'auto-c', '--userns=auto', 'busybox', 'true']);
      expect([third.exitCode, third.stderr]).toEqual([
        125,
        expect.stringMatching(new RegExp(`^Error: cannot give container [0-9a-f]{12} a user namespace of 1024 UIDs with --userns=auto: only 0 of the 2048 UIDs of "${POOL_USER}" in /etc/subuid are not used by other containers; remove containers, give a smaller --userns=auto:size=, or add a range to /etc/subuid$`)),
      ]);
      expect((await ok(['ps', '-aq'])).trim().split('\n')).toHaveLength(2);
      // rm frees a's range; the third gets exactly it.
      await ok(['rm', '-f', '-t', '0', a]);
      const c = (await ok(['create', '--name', 'auto-c', '--userns=auto', 'busybox', 'true'])).trim();
      expect((await ok(['inspect', '--format', '{{json .HostConfig.IDMappings.UidMap}}', c])).trim()).toBe(`["0:${aStart}:1024"]`);
    } finally {
      await pman(['rm', '-f', '-t', '0', a, b, 'auto-c']);
    }
  });

  it('chooses IDs under the store lock: a create that has chosen but not yet reserved them holds off another, which then gets other IDs', async () => {
    const hold = (n: string) => path.join(env.dir, `hold-${n}`);
    const traceB = path.join(env.dir, 'trace-b');
    const create = (n: string, extra: Record<string, string>) => env.pman(['create', '--name', `held-${n}`, '--userns=auto', 'busybox', 'true'], { env: { ...conf, PMAN_USERNS_AUTO_HOLD: hold(n), ...extra } });
    const a = create('a', {});
    try {
      // a has chosen its IDs inside the lock and stands still before reserving them.
      await until(() => fs.existsSync(`${hold('a')}.held`));
      const b = create('b', { PMAN_TRACE: traceB });
      // b waits for the lock; without it, b would choose the same IDs as a and stand still too.
      await until(() => (fs.existsSync(traceB) && fs.readFileSync(traceB, 'utf8').includes('/userns-auto.lock: waiting')) || fs.existsSync(`${hold('b')}.held`));
      expect(fs.existsSync(`${hold('b')}.held`)).toBe(false);
      fs.writeFileSync(`${hold('a')}.go`, '');
      fs.writeFileSync(`${hold('b')}.go`, '');
      expect((await Promise.all([a, b])).map((r) => [r.exitCode, r.stderr])).toEqual([[0, ''], [0, '']]);
      const maps = await Promise.all(['a', 'b'].map((n) => ok(['inspect', '--format', '{{json .HostConfig.IDMappings.UidMap}}', `held-${n}`])));
      expect(maps.map((m) => m.trim())).toEqual([`["0:${POOL_START}:1024"]`, `["0:${POOL_START + 1024}:1024"]`]);
    } finally {
      fs.writeFileSync(`${hold('a')}.go`, '');
      fs.writeFileSync(`${hold('b')}.go`, '');
      await a;
      await pman(['rm', '-f', 'held-a', 'held-b']);
    }
  });

  it('honours size= and uidmapping=/gidmapping= (the forced host IDs left out of the allocation)', async () => {
    const r = await pman([
      'run', '--rm', '--userns=auto:size=1500,uidmapping=2000:' + (POOL_START + 100) + ':5,gidmapping=3000:' + (POOL_START + 200) + ':1', '--user', '2004:3000',
      'busybox', 'sh', '-c', 'id -u; id -g; cat /proc/self/uid_map; echo; cat /proc/self/gid_map; stat -c "%u:%g" /etc/passwd',
    ]);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    const [ids, maps] = [r.stdout.trim().split('\n').slice(0, 2), r.stdout.trim().split('\n').slice(2).join('\n').split('\n\n')];
    expect(ids).toEqual(['2004', '3000']);
    const [uidMap, rest] = [mapOf(maps[0]), maps[1].trim().split('\n')];
    const gidMap = mapOf(rest.slice(0, -1).join('\n'));
    // 1500 IDs from the pool's start around the forced host IDs 100-104 (UIDs) and 200 (GIDs).
    expect(uidMap).toEqual([
      [0, POOL_START, 100],
      [100, POOL_START + 105, 1400],
      [2000, POOL_START + 100, 5],
    ]);
    expect(gidMap).toEqual([
      [0, POOL_START, 200],
      [200, POOL_START + 201, 1300],
      [3000, POOL_START + 200, 1],
    ]);
    expect(rest[rest.length - 1]).toBe('0:0');
    // Without size=, a user a forced range maps does not grow the namespace: auto-userns-min-size.
    const min = await pman(['run', '--rm', `--userns=auto:uidmapping=2000:${POOL_START + 100}:5,gidmapping=3000:${POOL_START + 200}:1`, '--user', '2004:3000', 'busybox', 'cat', '/proc/self/uid_map']);
    expect([min.exitCode, mapOf(min.stdout)]).toEqual([0, [[0, POOL_START, 100], [100, POOL_START + 105, 924], [2000, POOL_START + 100, 5]]]);
  });

  it('refuses a bad spec, a pool user without a range, rootless-only modes and --pod in one line, exit 125, creating nothing', async () => {
    const noRange = path.join(env.dir, 'storage-none.conf');
    fs.writeFileSync(noRange, '[storage.options]\nroot-auto-userns-user = "pman-no-such-pool"\n');
    const cases: Array<[string[], Record<string, string>, string]> = [
      [['--userns=auto:size=big'], conf, 'Error: invalid --userns "auto:size=big": size must be a whole number from 1 to 4294967295, not "big"'],
      [['--userns=auto:uidmapping=1'], conf, 'Error: invalid --userns "auto:uidmapping=1": uidmapping takes CONTAINER_ID:HOST_ID:SIZE, e.g. uidmapping=0:100000:1'],
      [['--userns=auto:nomap'], conf, 'Error: invalid --userns "auto:nomap": unknown option "nomap"; use auto[:size=N][,uidmapping=CONTAINER_ID:HOST_ID:SIZE][,gidmapping=CONTAINER_ID:HOST_ID:SIZE]'],
      [['--userns=auto', '--uidmap', '0:100000:10'], conf, 'Error: --uidmap cannot be combined with --userns "auto": the ID maps already choose the container\'s user namespace'],
      [['--userns=auto:size=10', '--user', '10'], conf, "Error: the container's user (UID 10) is not in its user namespace of 10 IDs: give a larger --userns=auto:size=, or choose another --user"],
      [['--userns=auto', '--pod', 'p1'], conf, "Error: --userns=auto cannot be used with --pod: a pod's members share its user namespace"],
      // Refused before --pod new: makes the pod.
      [['--userns=auto', '--pod', 'new:p2'], conf, "Error: --userns=auto cannot be used with --pod: a pod's members share its user namespace"],
      [
        ['--userns=auto'],
        { CONTAINERS_STORAGE_CONF: noRange },
        `Error: cannot use --userns=auto: /etc/subuid has no range for "pman-no-such-pool" (root-auto-userns-user in ${noRange}); add one for the containers' IDs, e.g. the line pman-no-such-pool:2147483647:2147483648 (podman's recommendation) to /etc/subuid and /etc/subgid`,
      ],
    ];
    for (const [flags, e, message] of cases) {
      const r = await env.pman(['create', ...flags, 'busybox', 'true'], { env: e });
      expect([r.exitCode, r.stderr]).toEqual([125, message]);
    }
    expect((await pman(['ps', '-aq'])).stdout).toBe('');
    expect((await pman(['pod', 'ps', '-q'])).stdout).toBe('');
  });

  it('leaves a reservation whose create crashed to system check, which releases it with --repair', async () => {
    // What a create killed between allocating and writing its record leaves: no live creator.
    const dir = path.join(env.root, 'userns-auto');
    fs.mkdirSync(dir, { recursive: true });
    const id = 'f'.repeat(64);
    fs.writeFileSync(path.join(dir, id), JSON.stringify({ uidMap: [{ container: 0, host: POOL_START, size: 2048 }], gidMap: [{ container: 0, host: POOL_START, size: 2048 }], auto: true }));
    const check = await pman(['system', 'check']);
    expect([check.exitCode, check.stdout]).toEqual([1, `container ${id.slice(0, 12)}: user namespace IDs reserved by a create that is gone`]);
    // It holds no IDs: the whole pool is there for a new container.
    const r = await pman(['run', '--rm', '--userns=auto:size=2048', 'busybox', 'cat', '/proc/self/uid_map']);
    expect([r.exitCode, mapOf(r.stdout)]).toEqual([0, [[0, POOL_START, 2048]]]);
    fs.writeFileSync(path.join(dir, id), '{}');
    await ok(['system', 'check', '--repair']);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect((await pman(['system', 'check'])).exitCode).toBe(0);
  });
});
