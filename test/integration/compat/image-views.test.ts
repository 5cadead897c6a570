// images templates and system df next to podman 4.3.1 (docs/commands.md, "Behaviour next to
// podman 4.3.1"): the values below are what podman printed after the same commands on this machine.
import fs from 'node:fs';
import path from 'node:path';
import { formatBytes, STATS_SIZE } from '../../../lib/format/bytes.js';
import { TestEnv, until } from '../harness.js';

const env = TestEnv.forFile();

describe('images next to podman', () => {
  afterAll(async () => {
    await env.pman(['rm', '-af', '-t', '0']);
  });

  it('templates see .ReadOnly and .History, the names the image has had, newest first', async () => {
    await env.ok(['tag', 'busybox', 'extra:1']);
    await env.ok(['tag', 'busybox', 'third:2']);
    await env.ok(['untag', 'busybox', 'extra:1']);
    const history = 'localhost/third:2, localhost/busybox:latest, localhost/extra:1';
    expect((await env.ok(['images', '--format', '{{.Repository}}:{{.Tag}} {{.ReadOnly}} {{.History}}'])).split('\n')).toEqual([
      `localhost/busybox:latest false ${history}`,
      `localhost/third:2 false ${history}`,
    ]);
    expect(await env.ok(['image', 'inspect', '--format', '{{.NamesHistory}}', 'busybox'])).toBe('[localhost/third:2 localhost/busybox:latest localhost/extra:1]');
    const [json] = JSON.parse(await env.ok(['images', '--format', 'json'])) as Array<{ History: string[] }>;
    expect(json.History).toEqual(history.split(', '));
    // A name another image takes leaves the history alone; untagging a name puts the rest in front.
    await env.ok(['run', '--network', 'none', '--name', 'hist', 'busybox', 'touch', '/g']);
    await env.ok(['commit', '-q', 'hist', 'third:2']);
    await env.ok(['tag', 'third:2', 'n:1']);
    await env.ok(['rmi', 'third:2']);
    expect((await env.ok(['images', '--format', '{{.Repository}}:{{.Tag}} {{.History}}'])).split('\n')).toEqual([
      'localhost/n:1 localhost/n:1, localhost/third:2',
      `localhost/busybox:latest ${history}`,
    ]);
    // The other fields of podman's row (its JSON's, as the template sees them): the committed image
    // has busybox as parent, VirtualSize is bytes.
    const busybox = (await env.ok(['images', '--format', '{{.Id}} {{.VirtualSize}}', 'busybox'])).split(' ');
    expect(await env.ok(['images', '--format', '{{.RepoTags}}|{{.ParentId}}|{{.SharedSize}}|{{.IsReadOnly}}|{{.CreatedTime}}', 'n:1'])).toMatch(
      new RegExp(`^\\[localhost/n:1\\]\\|${busybox[0]}\\|0\\|false\\|\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\+0000 UTC$`),
    );
    const [digest] = JSON.parse(await env.ok(['image', 'inspect', '--format', '{{json .RepoDigests}}', 'busybox'])) as string[];
    expect(await env.ok(['images', '--format', '{{.RepoDigests}} {{.VirtualSize}}', 'busybox'])).toBe(`[${digest}] ${busybox[1]}`);
    expect(Number(busybox[1])).toBeGreaterThan(1_000_000);
    expect(await env.ok(['images', '--history', '--format', 'table {{.Tag}} {{.History}}', 'n:1'])).toMatch(/^TAG +HISTORY\n1 +localhost\/n:1, localhost\/third:2$/);
  });
});

describe('image inspect next to podman', () => {
  it('templates print .Created in Go\'s form with its nanoseconds and a missing .Labels as map[], the JSON as recorded', async () => {
    const [doc] = JSON.parse(await env.ok(['image', 'inspect', 'busybox'])) as Array<{ Created: string; Labels: unknown }>;
    expect(doc.Labels).toBeNull();
    const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d*[1-9])?0*Z$/.exec(doc.Created);
    expect(m).not.toBeNull();
    const goForm = `${m![1]} ${m![2]}${m![3] ?? ''} +0000 UTC`;
    const tpl = '{{.Created}}|{{.Labels}}|{{json .Labels}}|{{len .Labels}}|{{if .HealthCheck}}check{{else}}none{{end}}|{{json .Created}}';
    expect(await env.ok(['image', 'inspect', '--format', tpl, 'busybox'])).toBe(`${goForm}|map[]|null|0|none|${JSON.stringify(doc.Created)}`);
    expect(await env.ok(['inspect', '--type', 'image', '--format', '{{.Created}} {{.Labels}}', 'busybox'])).toBe(`${goForm} map[]`);
  });
});

describe('image sizes next to podman', () => {
  it('are the layers, the stored manifest twice and the config, as podman 4.3.1 counts them (2141253 for its busybox), in images, inspect and system df', async () => {
    const layers = Number(await env.ok(['history', '-H=false', '--format', '{{.Size}}', 'busybox']));
    const [id, digest] = (await env.ok(['image', 'inspect', '--format', '{{.Id}} {{.Digest}}', 'busybox'])).split(' ');
    const blob = (d: string) => fs.statSync(path.join(env.root, 'storage', 'blobs', 'sha256', d.replace(/^sha256:/, ''))).size;
    const size = layers + 2 * blob(digest) + blob(id);
    expect(size - layers).toBeGreaterThan(0);
    expect(await env.ok(['image', 'inspect', '--format', '{{.Size}} {{.VirtualSize}}', 'busybox'])).toBe(`${size} ${size}`);
    expect(await env.ok(['images', '--format', '{{.VirtualSize}}', 'busybox'])).toBe(String(size));
    const [json] = JSON.parse(await env.ok(['images', '--format', 'json', 'busybox'])) as Array<{ Size: number; VirtualSize: number }>;
    expect([json.Size, json.VirtualSize]).toEqual([size, size]);
    const shown = `${(size / 1e6).toPrecision(4)}MB`;
    // busybox has n:1 (a commit of a container of it) built directly on it: it shares all of itself.
    expect(await env.ok(['system', 'df', '-v'])).toMatch(new RegExp(`^localhost/busybox +latest +${id.slice(0, 12)} +.+ +${shown.replace('.', '\\.')} +${shown.replace('.', '\\.')} +0B +\\d+$`, 'm'));
  });

  it("system df -v: an image another is built directly on shares all of itself, else it shares its parent's size; one row per name, oldest first, as podman 4.3.1", async () => {
    await env.ok(['tag', 'n:1', 'n:2']);
    const bytes = async (name: string) => Number(await env.ok(['image', 'inspect', '--format', '{{.Size}}', name]));
    const [busybox, n1] = [await bytes('busybox'), await bytes('n:1')];
    const text = (n: number) => formatBytes(n, STATS_SIZE);
    const rows = (await env.ok(['system', 'df', '-v'])).split('\n\n')[1].split('\n').slice(1).map((l) => l.split(/ {2,}/));
    expect(rows.map((r) => [r[0], r[1], r[4], r[5], r[6]])).toEqual([
      ['localhost/busybox', 'latest', text(busybox), text(busybox), '0B'],
      ['localhost/n', '1', text(n1), text(busybox), text(n1 - busybox)],
      ['localhost/n', '2', text(n1), text(busybox), text(n1 - busybox)],
    ]);
    await env.ok(['untag', 'n:1', 'n:2']);
  });
});

describe('system prune next to podman', () => {
  it("reports the images' reclaimed space with four digits, as podman 4.3.1 (2.141MB for its busybox)", async () => {
    const own = await TestEnv.create();
    try {
      const size = Number(await own.ok(['image', 'inspect', '--format', '{{.Size}}', 'busybox']));
      const out = await own.ok(['system', 'prune', '-a', '-f']);
      expect(out).toMatch(new RegExp(`\\nTotal reclaimed space: ${formatBytes(size, STATS_SIZE).replace('.', '\\.')}$`));
      expect(formatBytes(size, STATS_SIZE)).toMatch(/^\d\.\d{3}MB$/);
    } finally {
      await own.cleanup();
    }
  });

  it("counts the removed containers' writable layers and volumes' data too, as podman 4.3.1 (307.2kB and 204.8kB there)", async () => {
    const own = await TestEnv.create();
    try {
      await own.ok(['run', '--network', 'none', '--name', 'big', 'busybox', 'sh', '-c', 'dd if=/dev/zero of=/big bs=1k count=300 2>/dev/null']);
      expect(await own.ok(['system', 'prune', '-f'])).toMatch(/\nTotal reclaimed space: 307\.2kB$/);
      await own.ok(['volume', 'create', 'pv']);
      await own.ok(['run', '--rm', '--network', 'none', '-v', 'pv:/d', 'busybox', 'sh', '-c', 'dd if=/dev/zero of=/d/x bs=1k count=200 2>/dev/null']);
      expect(await own.ok(['system', 'prune', '-f', '--volumes'])).toMatch(/\nTotal reclaimed space: 204\.8kB$/);
    } finally {
      await own.cleanup();
    }
  });
});

describe('system df next to podman', () => {
  afterAll(async () => {
    await env.pman(['rm', '-af', '-t', '0']);
  });

  it('counts stopped containers\' writable layers as reclaimable, prints sizes and ages as podman, -v over --format', async () => {
    await env.ok(['run', '--network', 'none', '--name', 'df-stopped', 'busybox', 'sh', '-c', 'dd if=/dev/zero of=/big bs=1k count=300 2>/dev/null']);
    await env.ok(['run', '-d', '--network', 'none', '--name', 'df-up', 'busybox', 'sh', '-c', 'dd if=/dev/zero of=/big bs=1k count=100 2>/dev/null; touch /done; sleep 1000']);
    await env.ok(['create', '--network', 'none', '--name', 'df-created', 'busybox', 'true']);
    await until(async () => (await env.pman(['exec', 'df-up', 'test', '-e', '/done'])).exitCode === 0);
    const containers = async (format: string) => (await env.ok(['system', 'df', '--format', format])).split('\n')[1];
    // podman 4.3.1 after the same commands: 409.6kB and 307.2kB (75%), and {{json .}} the numbers
    // (the two started containers' 12-byte /etc/mtab links included).
    expect(await containers('{{.Type}}|{{.Total}}|{{.Active}}|{{.Size}}|{{.Reclaimable}}')).toBe('Containers|3|1|409.6kB|307.2kB (75%)');
    expect(JSON.parse(await containers('{{json .}}'))).toEqual({ Type: 'Containers', Total: 3, Active: 1, Size: 409624, Reclaimable: 307212 });
    // docker's field names too.
    expect(await containers('{{.TotalCount}} {{.RawSize}} {{.RawReclaimable}}')).toBe('3 409624 307212');
    const verbose = await env.ok(['system', 'df', '-v', '--format', '{{.Type}}']);
    expect(verbose).toMatch(/^Images space usage:$/m);
    expect(verbose).toMatch(/^[0-9a-f]{12} +[0-9a-f]{12} +sh -c dd if=\/dev\/zero of=\/big bs=1k count=300 2>\/dev\/null +0 +307\.2kB +.+ +exited +df-stopped$/m);
    expect(verbose).toMatch(/^localhost\/busybox +latest +[0-9a-f]{12} +.+ +2\.1\d*MB +2\.1\d*MB +0B +3$/m);
    expect(verbose).not.toMatch(/ ago /);
  });
});

