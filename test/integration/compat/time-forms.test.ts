// Times next to podman 4.3.1 (docs/format.md, "Times"): a --format template prints podman's Go
// time.Time fields in time.Time's String() form, its JSON in RFC 3339 (Go's RFC3339Nano), and the
// fields that are numbers or text in podman (ps .StartedAt, images .CreatedAt) stay so. The forms
// below are what podman printed on this machine for the same commands.
import { TestEnv } from '../harness.js';

const env = TestEnv.forFile();

/** Go's time.Time String() in UTC: `2026-12-04 16:19:40.41377307 +0000 UTC` (no trailing zeros). */
const GO_TIME = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d*[1-9])? \+0000 UTC`;
/** Go's RFC3339Nano in UTC: `2026-12-04T16:19:40.41377307Z`. */
const RFC3339_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$/;
const ZERO = '0001-01-01 00:00:00 +0000 UTC';

/** The Go form of an RFC3339Nano text, to tie a template's value to the JSON's. */
const goForm = (rfc: string) => rfc.replace('T', ' ').replace(/Z$/, ' +0000 UTC');

describe('times in templates and JSON, as podman 4.3.1 prints them', () => {
  afterAll(async () => {
    await env.pman(['rm', '-af', '-t', '0']);
    await env.pman(['pod', 'rm', '-af']);
    await env.pman(['network', 'rm', '-f', 'timenet']);
    await env.pman(['secret', 'rm', 'timesecret']);
  });

  it('container inspect: Created and the State times are Go times in a template, RFC3339Nano in JSON', async () => {
    await env.ok(['run', '--name', 'done', '--network', 'none', 'busybox', 'true']);
    const tpl = '{{.Created}}|{{.State.StartedAt}}|{{.State.FinishedAt}}|{{.State.CheckpointedAt}}|{{.State.RestoredAt}}';
    const shown = (await env.ok(['inspect', '--format', tpl, 'done'])).split('|');
    expect(shown).toEqual([expect.stringMatching(new RegExp(`^${GO_TIME}$`)), expect.stringMatching(new RegExp(`^${GO_TIME}$`)), expect.stringMatching(new RegExp(`^${GO_TIME}$`)), ZERO, ZERO]);
    const [doc] = JSON.parse(await env.ok(['inspect', 'done'])) as Array<{ Created: string; State: { StartedAt: string; FinishedAt: string; CheckpointedAt: string } }>;
    for (const t of [doc!.Created, doc!.State.StartedAt, doc!.State.FinishedAt]) expect(t).toMatch(RFC3339_NANO);
    expect(doc!.State.CheckpointedAt).toBe('0001-01-01T00:00:00Z');
    expect(shown.slice(0, 3)).toEqual([doc!.Created, doc!.State.StartedAt, doc!.State.FinishedAt].map(goForm));
    // {{json}} of a field writes what the JSON has; printf %s the String() form.
    expect(await env.ok(['inspect', '--format', '{{json .Created}} {{printf "%s" .State.FinishedAt}}', 'done'])).toBe(`"${doc!.Created}" ${shown[2]}`);
  });

  it('ps: .Created and .CreatedAt are Go times, .StartedAt and .ExitedAt Unix seconds (Go\'s zero time when never set)', async () => {
    await env.ok(['create', '--name', 'fresh', '--network', 'none', 'busybox', 'true']);
    const [created, createdAt, started, exited] = (await env.ok(['ps', '-a', '--filter', 'name=fresh', '--format', '{{.Created}}|{{.CreatedAt}}|{{.StartedAt}}|{{.ExitedAt}}'])).split('|');
    const [doc] = JSON.parse(await env.ok(['inspect', 'fresh'])) as Array<{ Created: string }>;
    expect([created, createdAt, started, exited]).toEqual([goForm(doc!.Created), goForm(doc!.Created), '-62135596800', '-62135596800']);
    // The JSON keeps podman's numbers: Created in Unix seconds.
    const [row] = JSON.parse(await env.ok(['ps', '-a', '--filter', 'name=fresh', '--format', 'json'])) as Array<Record<string, unknown>>;
    expect([row!.Created, row!.StartedAt, row!.ExitedAt]).toEqual([Math.floor(Date.parse(doc!.Created) / 1000), -62135596800, -62135596800]);
    const done = (await env.ok(['ps', '-a', '--filter', 'name=done', '--format', '{{.StartedAt}} {{.ExitedAt}}'])).split(' ').map(Number);
    expect(done.every((n) => n > 1_700_000_000)).toBe(true);
  });

  it('image inspect: .History entries have podman\'s Go fields, Created a Go time; the JSON keeps the blob\'s keys', async () => {
    const line = await env.ok(['image', 'inspect', '--format', '{{range .History}}{{.Created}}|{{.CreatedBy}}|{{.Comment}}|{{.EmptyLayer}}|{{.Author}}{{end}}', 'busybox']);
    const history = JSON.parse(await env.ok(['image', 'inspect', '--format', '{{json .History}}', 'busybox'])) as Array<{ created: string; created_by: string; comment?: string }>;
    const h = history[0]!;
    expect(Object.keys(h)).not.toContain('Created');
    expect(line).toBe(`${goForm(h.created)}|${h.created_by}|${h.comment ?? ''}|false|`);
  });

  it('network and pod inspect: Created is a Go time in a template, RFC3339 in JSON', async () => {
    await env.ok(['network', 'create', 'timenet']);
    const [net] = JSON.parse(await env.ok(['network', 'inspect', 'timenet'])) as Array<{ created: string }>;
    expect(net!.created).toMatch(RFC3339_NANO);
    expect(await env.ok(['network', 'inspect', '--format', '{{.Created}}', 'timenet'])).toBe(goForm(net!.created));
    expect(await env.ok(['network', 'ls', '--filter', 'name=timenet', '--format', '{{.Created}}'])).toBe(goForm(net!.created));
    // podman makes its default network's record when asked: created now, not at the epoch.
    const dflt = await env.ok(['network', 'ls', '--filter', 'name=^pman$', '--format', '{{.Created}}']);
    expect(dflt).toMatch(new RegExp(`^${GO_TIME}$`));
    expect(Date.parse(dflt.replace(' ', 'T').replace(' +0000 UTC', 'Z'))).toBeGreaterThan(Date.now() - 3_600_000);

    await env.ok(['pod', 'create', '--infra=false', '--name', 'timepod']);
    // (podman 4.3.1 prints one pod as an object, not an array)
    const pod = JSON.parse(await env.ok(['pod', 'inspect', 'timepod'])) as { Created: string };
    expect(pod.Created).toMatch(RFC3339_NANO);
    expect(await env.ok(['pod', 'inspect', '--format', '{{.Created}}', 'timepod'])).toBe(goForm(pod.Created));
  });

  it('secret inspect: CreatedAt and UpdatedAt are Go times in a template, RFC3339Nano in JSON', async () => {
    await env.ok(['secret', 'create', 'timesecret', '-'], { input: 'x' });
    const [doc] = JSON.parse(await env.ok(['secret', 'inspect', 'timesecret'])) as Array<{ CreatedAt: string; UpdatedAt: string }>;
    expect(doc!.CreatedAt).toMatch(RFC3339_NANO);
    expect(await env.ok(['secret', 'inspect', '--format', '{{.CreatedAt}}|{{.UpdatedAt}}', 'timesecret'])).toBe(`${goForm(doc!.CreatedAt)}|${goForm(doc!.UpdatedAt)}`);
  });

  it('events: .Time is a Go time in a template and the plain line, RFC3339Nano in --format json', async () => {
    const json = (await env.ok(['events', '--stream=false', '--filter', 'container=done', '--filter', 'event=create', '--format', 'json'])).split('\n');
    expect(json).toHaveLength(1);
    const time = (JSON.parse(json[0]!) as { Time: string }).Time;
    expect(time).toMatch(RFC3339_NANO);
    expect(await env.ok(['events', '--stream=false', '--filter', 'container=done', '--filter', 'event=create', '--format', '{{.Time}}'])).toBe(goForm(time));
  });
});
