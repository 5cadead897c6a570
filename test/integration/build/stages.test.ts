// Multi-stage builds: COPY --from a stage (by name and number) and from an image, FROM an earlier
// stage, --target, global ARGs in FROM, and only the final image named.
import { TestEnv } from '../harness.js';
import { imageConfig, inImage, makeContext, noContainers } from './build-env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

const FILE = `
ARG BASE=busybox
FROM $BASE AS builder
RUN mkdir -p /out/sub && echo built > /out/sub/artifact && ln -s sub/artifact /out/link
FROM builder AS tester
RUN echo tested > /out/tested
FROM scratch AS files
COPY --from=builder /out/ /payload/
FROM \${BASE}
COPY --from=builder /out/sub/artifact /app/artifact
COPY --from=1 /out/tested /app/
COPY --from=files /payload/link /app/link
COPY --from=busybox /bin/busybox /app/busybox
LABEL stage=final
`;

describe('pman build, several stages', () => {
  let out: string;
  let ctxDir: string;
  beforeAll(async () => {
    ctxDir = makeContext(env, 'multi', { Containerfile: FILE });
    out = await env.ok(['build', '-t', 'multi', ctxDir]);
  });

  it('numbers the stages in the step lines and commits the last one', () => {
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('[1/4] STEP 1/2: FROM $BASE AS builder');
    expect(lines).toContain('[2/4] STEP 1/2: FROM builder AS tester');
    expect(lines).toContain('[4/4] STEP 6/6: LABEL stage=final');
    expect(lines).toContain('[4/4] COMMIT multi');
  });

  it('copies from stages by name and number and from an image', async () => {
    const files = await inImage(env, 'multi', 'cat /app/artifact /app/tested; readlink /app/link; /app/busybox echo bb-runs; ls /');
    expect(files).toMatch(/^built\ntested\nsub\/artifact\nbb-runs\n/);
    expect(files).not.toContain('out');
    expect((await imageConfig(env, 'multi')).Labels).toEqual({ stage: 'final' });
  });

  it('names only the final image: earlier stages stay untagged', async () => {
    const names = (await env.ok(['images', '--format', '{{.Repository}}:{{.Tag}}'])).split('\n');
    expect(names.filter((n) => !n.startsWith('<none>')).sort()).toEqual(['localhost/busybox:latest', 'localhost/multi:latest']);
    expect(await noContainers(env)).toBe(true);
  });

  it('stops at --target and names that stage', async () => {
    const r = await env.pman(['build', '--target', 'tester', '-t', 'tester', ctxDir]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain('[3/4]');
    expect(await inImage(env, 'tester', 'cat /out/tested /out/sub/artifact')).toBe('tested\nbuilt');
  });

  it('refuses a --target the file does not have', async () => {
    const r = await env.pman(['build', '--target', 'nope', ctxDir]);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain('Error: cannot build target "nope": the Containerfile has no stage named "nope"');
  });

  it('uses --build-arg in FROM and in RUN, and undeclared proxy args in RUN', async () => {
    const dir = makeContext(env, 'args', {
      Containerfile: 'ARG IMG=nothing\nFROM $IMG\nARG WHO=nobody\nRUN echo "$WHO $http_proxy" > /who\nARG IMG\nRUN echo "img=$IMG" >> /who\n',
    });
    await env.ok(['build', '-t', 'args', '--build-arg', 'IMG=busybox', '--build-arg', 'WHO=me', '--build-arg', 'http_proxy=http://proxy:3128', dir]);
    expect(await inImage(env, 'args', 'cat /who')).toBe('me http://proxy:3128\nimg=busybox');
    // ARG values are the build's, never the image's environment.
    expect(JSON.stringify((await imageConfig(env, 'args')).Env)).not.toContain('WHO');
  });
});
