// images templates and system df next to podman 4.3.1 (docs/commands.md, "Behaviour next to
// podman 4.3.1"): the values below are what podman printed after the same commands on this machine.
import { TestEnv } from '../harness.js';

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
    expect(await env.ok(['images', '--history', '--format', 'table {{.Tag}} {{.History}}', 'n:1'])).toMatch(/^TAG +HISTORY\n1 +localhost\/n:1, localhost\/third:2$/);
  });
});
