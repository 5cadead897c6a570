// Volume templates, JSON and filters next to podman 4.3.1 (docs/commands.md, "Behaviour next to
// podman 4.3.1"): the values below are what podman printed for the same volumes on this machine.
import { TestEnv } from '../harness.js';

const env = TestEnv.forFile();

describe('volume inspect and ls next to podman', () => {
  afterAll(async () => {
    await env.pman(['rm', '-af', '-t', '0']);
    await env.pman(['volume', 'rm', '-af']);
  });

  it('templates see UID, GID and the fields podman\'s JSON omits at zero; the JSON keeps podman\'s shape', async () => {
    await env.ok(['volume', 'create', '--opt', 'o=uid=1000,gid=1001', 'owned']);
    await env.ok(['volume', 'create', '--opt', 'o=gid=5', 'grouped']);
    await env.ok(['volume', 'create', 'plain']);
    const tpl = '{{.Name}} {{.UID}} {{.GID}} {{.NeedsCopyUp}} {{.NeedsChown}} {{.Status}} {{.Timeout}} [{{.StorageID}}] {{.Options}}';
    expect((await env.ok(['volume', 'inspect', '--format', tpl, 'owned', 'grouped', 'plain'])).split('\n')).toEqual([
      'owned 1000 1001 true false map[] 0 [] map[GID:1001 UID:1000 o:uid=1000,gid=1001]',
      'grouped 0 5 true false map[] 0 [] map[GID:5 o:gid=5]',
      'plain 0 0 true true map[] 0 [] map[]',
    ]);
    // Labels and Options are Go maps: a missing key is no value, not an error.
    expect(await env.ok(['volume', 'inspect', '--format', '{{.Labels.x}} {{.Options.x}} {{.Options.o}}', 'owned'])).toBe('<no value> <no value> uid=1000,gid=1001');
    // ls rows are the same documents.
    expect(await env.ok(['volume', 'ls', '--filter', 'name=grouped', '--format', '{{.UID}} {{.GID}} {{.Status}} {{.NeedsChown}}'])).toBe('0 5 map[] false');
    // Go's time form in a template, RFC 3339 in JSON.
    expect(await env.ok(['volume', 'inspect', '--format', '{{.CreatedAt}}', 'plain'])).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC$/);
    const [owned, grouped] = JSON.parse(await env.ok(['volume', 'inspect', 'owned', 'grouped'])) as Array<Record<string, unknown>>;
    expect(owned.CreatedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect([owned.UID, owned.GID, owned.NeedsCopyUp, 'NeedsChown' in owned]).toEqual([1000, 1001, true, false]);
    expect(['UID' in grouped, grouped.GID]).toEqual([false, 5]);

    // The first use copies the image's files in; a volume given an owner keeps it (and its mode).
    const stat = await env.ok(['run', '--rm', '--network', 'none', '-v', 'owned:/bin', '-v', 'plain:/etc', 'busybox', 'stat', '-c', '%u:%g:%a', '/bin', '/etc']);
    expect(stat.split('\n')).toEqual(['1000:1001:755', '0:0:755']);
    expect(await env.ok(['run', '--rm', '--network', 'none', '-v', 'owned:/bin', 'busybox', 'test', '-x', '/bin/sh'])).toBe('');
    const used = JSON.parse(await env.ok(['volume', 'inspect', 'owned', 'plain'])) as Array<Record<string, unknown>>;
    expect(used.map((v) => ['NeedsCopyUp' in v, 'NeedsChown' in v])).toEqual([[false, false], [false, false]]);
    expect(await env.ok(['volume', 'inspect', '--format', '{{.NeedsCopyUp}} {{.NeedsChown}} {{.UID}}', 'plain'])).toBe('false false 0');
  });

  it('a volume still needs its copy-up while nothing was copied: its first use at a path the image lacks', async () => {
    await env.ok(['run', '--rm', '--network', 'none', '-v', 'later:/nothere', 'busybox', 'true']);
    // It was given its owner (root's) all the same.
    expect(await env.ok(['volume', 'inspect', '--format', '{{.NeedsCopyUp}} {{.NeedsChown}}', 'later'])).toBe('true false');
    expect((JSON.parse(await env.ok(['volume', 'inspect', 'later'])) as Array<Record<string, unknown>>)[0].NeedsCopyUp).toBe(true);
    // Its next use at a path the image has fills it.
    expect(await env.ok(['run', '--rm', '--network', 'none', '-v', 'later:/etc', 'busybox', 'cat', '/etc/group'])).toMatch(/^root:x:0:/);
    expect(await env.ok(['volume', 'inspect', '--format', '{{.NeedsCopyUp}}', 'later'])).toBe('false');
  });

  it("gives a new volume first used at a path the image lacks to the container's user, once", async () => {
    const owner = async (name: string) => (await env.ok(['volume', 'inspect', '--format', '{{.NeedsCopyUp}} {{.NeedsChown}}', name])) + ' ' + (await env.ok(['run', '--rm', '--network', 'none', '-v', `${name}:/v`, 'busybox', 'stat', '-c', '%u:%g:%a', '/v']));
    // podman 4.3.1 printed these for the same commands.
    await env.ok(['run', '--rm', '--network', 'none', '-u', '1000', '-v', 'by-uid:/missing', 'busybox', 'true']);
    await env.ok(['run', '--rm', '--network', 'none', '-u', '1000:2000', '-v', 'by-pair:/missing', 'busybox', 'true']);
    await env.ok(['run', '--rm', '--network', 'none', '-u', '1234', '-v', 'by-unnamed:/missing', 'busybox', 'true']);
    await env.ok(['volume', 'create', '--opt', 'o=uid=5', 'given']);
    await env.ok(['run', '--rm', '--network', 'none', '-u', '1000', '-v', 'given:/missing', 'busybox', 'true']);
    expect([await owner('by-uid'), await owner('by-pair'), await owner('by-unnamed'), await owner('given')]).toEqual([
      'true false 1000:1000:755',
      'true false 1000:2000:755',
      'true false 1234:0:755',
      'true false 5:0:755',
    ]);
    // Once only: a later user, at a path the image lacks or has, leaves the owner (the copy-up still comes).
    await env.ok(['run', '--rm', '--network', 'none', '-u', '2222', '-v', 'by-uid:/other', 'busybox', 'true']);
    expect(await env.ok(['run', '--rm', '--network', 'none', '-v', 'by-uid:/etc', 'busybox', 'stat', '-c', '%u:%g:%a', '/etc', '/etc/passwd'])).toBe('1000:1000:755\n0:0:644');
  });

  it('a nocopy mount, or an empty directory of the image, copies nothing: the volume still needs its copy-up, and a later use fills it', async () => {
    const state = async (name: string) => env.ok(['volume', 'inspect', '--format', '{{.NeedsCopyUp}} {{.NeedsChown}}', name]);
    // podman 4.3.1 printed 'true false' after each first use, 'false false' after the filling one.
    await env.ok(['run', '--rm', '--network', 'none', '-v', 'nocopied:/home:nocopy', 'busybox', 'true']);
    await env.ok(['run', '--rm', '--network', 'none', '-v', 'at-empty:/tmp', 'busybox', 'true']);
    expect([await state('nocopied'), await state('at-empty')]).toEqual(['true false', 'true false']);
    // The empty /tmp still gave its owner and mode.
    expect(await env.ok(['run', '--rm', '--network', 'none', '-v', 'at-empty:/v:nocopy', 'busybox', 'stat', '-c', '%u:%g:%a', '/v'])).toBe('0:0:1777');
    expect(await env.ok(['run', '--rm', '--network', 'none', '-v', 'nocopied:/home', 'busybox', 'ls', '/home'])).toBe('pmanuser');
    expect(await state('nocopied')).toBe('false false');
  });

  it('ls --filter opt= matches an option by exact name, and its value when one is given', async () => {
    await env.ok(['volume', 'create', '--opt', 'o=uid=0', 'optroot']);
    await env.ok(['volume', 'create', '--opt', 'o=uid=7', 'optseven']);
    await env.ok(['volume', 'create', 'optnone']);
    const ls = async (...filters: string[]) => (await env.ok(['volume', 'ls', '-q', '--filter', 'name=opt', ...filters.flatMap((f) => ['--filter', f])])).split('\n').filter(Boolean);
    expect(await ls('opt=o')).toEqual(['optroot', 'optseven']);
    expect(await ls('opt=o=uid=0')).toEqual(['optroot']);
    expect(await ls('opt=UID=7')).toEqual(['optseven']);
    expect(await ls('opt=UID=7', 'opt=UID=0')).toEqual(['optroot', 'optseven']);
    expect(await ls('opt=uid=7')).toEqual([]);
    expect(await env.ok(['volume', 'ls', '--filter', 'opt=UID=7', '--format', '{{.Name}} {{.UID}}'])).toBe('optseven 7');
  });
});
