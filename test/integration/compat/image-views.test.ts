// images templates and system df next to podman 4.3.1 (docs/commands.md, "Behaviour next to
// podman 4.3.1"): the values below are what podman printed after the same commands on this machine.
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
    expect(verbose).toMatch(/^localhost\/busybox +latest +[0-9a-f]{12} +.+ +2\.1\d*MB +0B +2\.1\d*MB +3$/m);
    expect(verbose).not.toMatch(/ ago /);
  });
});

