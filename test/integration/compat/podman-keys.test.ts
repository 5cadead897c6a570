// pman's JSON documents have every key podman 4.3.1's have (#20): ps, images, info, inspect of a
// container and an image, volume inspect and ls, version — compared live against the podman
// installed here, run with its own temporary --root/--runroot/--tmpdir (its default store,
// networks and containers are never touched: its container runs with --network none).
import { busyboxTarball } from '../harness.js';
import { sideBySideForFile } from './podman-store.js';

const { env, podman } = sideBySideForFile();

/** Every key path of a JSON document ("[]" for array elements); maps of user data are not walked. */
function keyPaths(v: unknown, prefix = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) {
    for (const e of v) if (e !== null && typeof e === 'object') keyPaths(e, `${prefix}[]`, out);
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const p = prefix ? `${prefix}.${k}` : k;
      out.add(p);
      if (!USER_MAPS.test(p)) keyPaths(x, p, out);
    }
  }
  return out;
}
/** Maps whose keys are data (labels, annotations, ports, env …), not fields. */
const USER_MAPS = /(Labels|Annotations|Options|GraphOptions|GraphStatus|registries|Ports|PortBindings|ExposedPorts|Volumes|Tmpfs|Namespaces|Sysctls)$/;

/**
 * Keys owned by other parts of the work, not this comparison: health checks
 * (Config.HealthcheckOnFailureAction) come with the health-check issue, NetworkSettings.Networks
 * with bridge networks as the default.
 */
const ELSEWHERE = /(\.Config\.HealthcheckOnFailureAction|\.NetworkSettings\.Networks)/;

function missing(podmanDoc: string, pmanDoc: string): string[] {
  const ours = keyPaths(JSON.parse(pmanDoc));
  return [...keyPaths(JSON.parse(podmanDoc))].filter((k) => !ours.has(k) && !ELSEWHERE.test(k));
}

describe('JSON key sets against podman 4.3.1', () => {
  it('has every key podman prints for ps, images, inspect, volume inspect/ls, info and version', async () => {
    await podman(['import', busyboxTarball(), 'busybox']);
    const limits = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];
    for (const tool of ['podman', 'pman'] as const) {
      const run = ['run', '-d', '--name', 'keys', '--network', 'none', ...limits, '--label', 'a=b', '-v', 'kv:/data', 'busybox', 'sleep', '1000'];
      if (tool === 'podman') await podman(run);
      else await env.ok(run);
    }
    const both = async (args: string[]) => [await podman(args), await env.ok(args)] as const;
    const docs: Record<string, readonly [string, string]> = {
      ps: await both(['ps', '-a', '--format', 'json']),
      images: await both(['images', '--format', 'json']),
      'inspect container': await both(['container', 'inspect', 'keys']),
      'inspect image': await both(['image', 'inspect', 'busybox']),
      'volume inspect': await both(['volume', 'inspect', 'kv']),
      'volume ls': await both(['volume', 'ls', '--format', 'json']),
      info: await both(['info', '--format', 'json']),
      version: await both(['version', '--format', 'json']),
    };
    const gaps = Object.fromEntries(Object.entries(docs).map(([name, [theirs, ours]]) => [name, missing(theirs, ours)]));
    expect(gaps).toEqual({ ps: [], images: [], 'inspect container': [], 'inspect image': [], 'volume inspect': [], 'volume ls': [], info: [], version: [] });
    // The documents are not trivially empty: each side has the container, image and volume.
    for (const [name, [theirs, ours]] of Object.entries(docs)) {
      expect({ name, size: keyPaths(JSON.parse(ours)).size > 3 }).toEqual({ name, size: true });
      expect({ name, size: keyPaths(JSON.parse(theirs)).size > 3 }).toEqual({ name, size: true });
    }
  });

  it('reads podman\'s Go field names in templates: info, version, ps, inspect', async () => {
    await env.ok(['create', '--name', 'tpl', '--log-opt', 'max-size=2m', 'busybox', 'true']);
    const info = await env.ok(['info', '--format', '{{.Host.Arch}} {{.Host.OCIRuntime.Name}} {{.Host.Security.Rootless}} {{.Store.GraphDriverName}} {{.Host.CgroupsVersion}}']);
    const theirs = await podman(['info', '--format', '{{.Host.Arch}} {{.Host.OCIRuntime.Name}} {{.Host.Security.Rootless}} {{.Store.GraphDriverName}} {{.Host.CgroupsVersion}}']);
    expect(info).toBe(theirs);
    for (const t of ['{{.Client.OsArch}}', '{{.Server.Os}}', '{{.OsArch}}']) expect(await env.ok(['version', '--format', t])).toBe(await podman(['version', '--format', t]));
    expect(await env.ok(['inspect', '--format', '{{.HostConfig.LogConfig.Size}}', 'tpl'])).toBe('2MB');
    const ps = await env.ok(['ps', '-a', '--filter', 'name=tpl', '--format', '{{.Names}}|{{.State}}|{{.Pod}}|{{.PodName}}|{{.Exited}}|{{.ExitCode}}|{{.Size}}']);
    expect(ps).toBe('tpl|created|||false|0|');
    // Go's time.Time form, as podman prints .CreatedAt.
    expect(await env.ok(['ps', '-a', '--filter', 'name=tpl', '--format', '{{.CreatedAt}}'])).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC$/);
    // The image ID as podman 4.3.1 prints it: 12 digits, all 64 with --no-trunc.
    expect(await env.ok(['ps', '-a', '--filter', 'name=tpl', '--format', '{{.ImageID}}'])).toMatch(/^[0-9a-f]{12}$/);
    expect(await env.ok(['ps', '-a', '--no-trunc', '--filter', 'name=tpl', '--format', '{{.ImageID}}'])).toMatch(/^[0-9a-f]{64}$/);
    await env.ok(['rm', 'tpl']);
  });

  it('ps --last, --latest, --noheading, --sort and --size as podman', async () => {
    for (const n of ['ps-b', 'ps-a', 'ps-c']) await env.ok(['create', '--name', n, 'busybox', 'true']);
    try {
      // The two newest, oldest first (podman 4.3.1's order).
      expect(await env.ok(['ps', '-n', '2', '--format', '{{.Names}}'])).toBe('ps-a\nps-c');
      expect(await env.ok(['ps', '--latest', '--format', '{{.Names}}'])).toBe('ps-c');
      expect(await env.ok(['ps', '-a', '--filter', 'name=^ps-', '--sort', 'names', '--format', '{{.Names}}'])).toBe('ps-a\nps-b\nps-c');
      const table = await env.ok(['ps', '-a', '--filter', 'name=ps-a', '--noheading']);
      expect(table.split('\n')).toHaveLength(1);
      expect(table).toMatch(/ ps-a$/);
      await env.ok(['start', 'ps-a']);
      await env.ok(['wait', 'ps-a']);
      expect(await env.ok(['ps', '-a', '--size', '--filter', 'name=ps-a', '--format', '{{.Size}}'])).toMatch(/^\d+(\.\d+)?k?B \(virtual \d+(\.\d+)?[kM]B\)$/);
      expect((await env.ok(['ps', '-a', '--size', '--filter', 'name=ps-a'])).split('\n')[0]).toMatch(/ +NAMES +SIZE$/);
    } finally {
      await env.pman(['rm', '-f', 'ps-a', 'ps-b', 'ps-c']);
    }
  });
});
