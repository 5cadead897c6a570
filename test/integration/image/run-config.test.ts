// The image config applies at run: Env, Entrypoint, Cmd, WorkingDir, User (names from the image's
// own /etc/passwd and /etc/group), Labels and StopSignal, each from an image built with
// `pman import --change`, and each overridable by the matching run flag.
import { busyboxTarball, TestEnv, until } from '../harness.js';

let env: TestEnv;

beforeAll(async () => {
  env = await TestEnv.create({ image: false });
  const tar = busyboxTarball();
  await env.ok(['import', '-c', 'ENV GREETING=hello PLACE=world', '-c', 'WORKDIR /srv/app', '-c', 'USER pmanuser', '-c', 'LABEL app=demo tier=web', '-c', 'CMD ["sh"]', tar, 'configured']);
  await env.ok(['import', '-c', 'ENTRYPOINT ["/bin/echo", "entry"]', '-c', 'CMD ["default", "args"]', tar, 'entry']);
  await env.ok(['import', '-c', 'STOPSIGNAL SIGUSR1', '-c', 'USER nobody:nogroup', tar, 'stopsig']);
}, 60_000);
afterAll(async () => {
  await env?.cleanup();
});

describe('image config at run', () => {
  it('sets the image Env, overridden by -e', async () => {
    expect(await env.ok(['run', '--rm', 'configured', 'sh', '-c', 'echo $GREETING $PLACE'])).toBe('hello world');
    expect(await env.ok(['run', '--rm', '-e', 'PLACE=there', 'configured', 'sh', '-c', 'echo $GREETING $PLACE'])).toBe('hello there');
  });

  it('runs Entrypoint with Cmd as its default arguments; a command replaces Cmd, --entrypoint both', async () => {
    expect(await env.ok(['run', '--rm', 'entry'])).toBe('entry default args');
    expect(await env.ok(['run', '--rm', 'entry', 'mine'])).toBe('entry mine');
    expect(await env.ok(['run', '--rm', '--entrypoint', '/bin/echo', 'entry', 'plain'])).toBe('plain');
  });

  it('starts in WorkingDir, overridden by --workdir', async () => {
    expect(await env.ok(['run', '--rm', 'configured', 'pwd'])).toBe('/srv/app');
    expect(await env.ok(['run', '--rm', '-w', '/tmp', 'configured', 'pwd'])).toBe('/tmp');
  });

  it('resolves User and user:group names from the image\'s own passwd and group files', async () => {
    expect(await env.ok(['run', '--rm', 'configured', 'id'])).toMatch(/^uid=1000\(pmanuser\) gid=1000\(pmanuser\)/);
    expect(await env.ok(['run', '--rm', 'stopsig', 'id'])).toMatch(/^uid=65534\(nobody\) gid=65534\(nogroup\)/);
    expect(await env.ok(['run', '--rm', '--user', 'root', 'configured', 'id', '-u'])).toBe('0');
  });

  it('gives the container the image Labels, with --label on top', async () => {
    await env.ok(['create', '--name', 'labelled', '--label', 'tier=db', 'configured']);
    expect(await env.ok(['inspect', '--format', '{{.Config.Labels}}', 'labelled'])).toBe('map[app:demo tier:db]');
  });

  it('stops the container with the image StopSignal', async () => {
    await env.ok(['run', '-d', '--name', 'sig', '--user', 'root', 'stopsig', 'sh', '-c', 'trap "echo got USR1; exit 7" USR1; echo ready; while :; do sleep 0.1; done']);
    expect(await until(async () => (await env.ok(['logs', 'sig'])).includes('ready'))).toBe(true);
    await env.ok(['stop', '-t', '20', 'sig']);
    expect(await env.ok(['logs', 'sig'])).toBe('ready\ngot USR1');
    expect(await env.ok(['inspect', '--format', '{{.State.ExitCode}}', 'sig'])).toBe('7');
  });
});
