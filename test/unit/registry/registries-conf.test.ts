import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyRegistriesConf, emptyRegistriesConf, findRegistryEntry, loadRegistriesConf } from '../../../lib/registry/registries-conf.js';
import { parseToml } from '../../../lib/config/toml.js';
import { pullCandidates } from '../../../lib/registry/short-names.js';

describe('registries.conf as TOML', () => {
  it('reads tables, arrays of tables, multi-line arrays, strings, booleans and comments', () => {
    const doc = parseToml(`
# comment
unqualified-search-registries = [
  "registry.fedoraproject.org", # trailing comment
  'quay.io',
]
short-name-mode = "enforcing"
[aliases]
  "fedora" = "registry.fedoraproject.org/fedora"
  ubi8 = "registry.access.redhat.com/ubi8"
[[registry]]
location = "localhost:5000"
insecure = true
[[registry]]
prefix = "example.com/foo"
location = "mirror.example.com/bar"
blocked = false
`);
    expect(doc).toEqual({
      'unqualified-search-registries': ['registry.fedoraproject.org', 'quay.io'],
      'short-name-mode': 'enforcing',
      aliases: { fedora: 'registry.fedoraproject.org/fedora', ubi8: 'registry.access.redhat.com/ubi8' },
      registry: [
        { location: 'localhost:5000', insecure: true },
        { prefix: 'example.com/foo', location: 'mirror.example.com/bar', blocked: false },
      ],
    });
  });

  it('accepts the TOML a hand-written subset rejected: floats, multi-line strings, dates and times, inline tables', () => {
    const doc = parseToml(`
ratio = 1.5
exp = 6.02e23
text = """
first
second"""
raw = '''C:\\no\\escapes'''
when = 1979-05-27T07:32:00Z
day = 1979-05-27
at = 07:32:00
point = { x = 1, y = 2 }
`);
    expect(doc.ratio).toBe(1.5);
    expect(doc.exp).toBe(6.02e23);
    expect(doc.text).toBe('first\nsecond');
    expect(doc.raw).toBe('C:\\no\\escapes');
    expect(doc.when).toBeInstanceOf(Date);
    expect((doc.when as Date).toISOString()).toBe('1979-05-27T07:32:00.000Z');
    expect((doc.day as Date).toISOString()).toBe('1979-05-27');
    expect((doc.at as Date).toISOString()).toBe('07:32:00.000');
    expect(doc.point).toEqual({ x: 1, y: 2 });
  });

  it('reads a registries.conf with keys it does not use, of any TOML type', () => {
    const text = 'unqualified-search-registries = ["quay.io"]\nx-timeout = 2.5\nx-note = """\nmulti\nline"""\nx-since = 2024-01-02\n';
    expect(applyRegistriesConf(emptyRegistriesConf(), text, 'f').searchRegistries).toEqual(['quay.io']);
  });

  it('names the file, line and column of a syntax error', () => {
    expect(() => applyRegistriesConf(emptyRegistriesConf(), 'a = 1\nb = "open\n', '/etc/x.conf')).toThrow(
      'invalid registries configuration "/etc/x.conf": line 2, column 10: control characters are not allowed in strings',
    );
    expect(() => applyRegistriesConf(emptyRegistriesConf(), 'a = 1\n\n[t]\nb = = 2\n', '/etc/y.conf')).toThrow(/^invalid registries configuration "\/etc\/y.conf": line 4, column \d+: /);
    expect(() => applyRegistriesConf(emptyRegistriesConf(), 'a = 1\na = 2\n', 'z.conf')).toThrow(/"z.conf": line 2, column 1: /);
  });

  it('names the key whose value is wrong', () => {
    expect(() => applyRegistriesConf(emptyRegistriesConf(), 'short-name-mode = 1979-05-27\n', 'f')).toThrow('short-name-mode must be a string');
    expect(() => applyRegistriesConf(emptyRegistriesConf(), 'short-name-mode = "loud"\n', 'f')).toThrow('short-name-mode "loud" must be enforcing, permissive or disabled');
    expect(() => applyRegistriesConf(emptyRegistriesConf(), '[registries.search]\nregistries = ["x"]\n', 'f')).toThrow(/version 1 format/);
  });
});

describe('registries.conf layering', () => {
  it('reads the first main file that exists, then drop-ins by name, then pman\'s override', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-regconf-'));
    try {
      fs.writeFileSync(path.join(dir, 'main.conf'), 'unqualified-search-registries = ["a.io"]\n[aliases]\n"x" = "a.io/x"\n');
      fs.mkdirSync(path.join(dir, 'd'));
      fs.writeFileSync(path.join(dir, 'd', '20-b.conf'), '[aliases]\n"y" = "b.io/y"\n');
      fs.writeFileSync(path.join(dir, 'd', '10-a.conf'), '[aliases]\n"y" = "a.io/y"\n"x" = "c.io/x"\n');
      fs.writeFileSync(path.join(dir, 'd', 'ignored.txt'), 'not toml');
      fs.writeFileSync(path.join(dir, 'pman.conf'), 'unqualified-search-registries = ["p.io"]\n');
      const conf = loadRegistriesConf({ main: [path.join(dir, 'missing.conf'), path.join(dir, 'main.conf')], dropInDirs: [path.join(dir, 'd')], override: path.join(dir, 'pman.conf') });
      expect(conf.aliases).toEqual({ x: 'c.io/x', y: 'b.io/y' });
      expect(conf.searchRegistries).toEqual(['p.io']);
      expect(conf.files.map((f) => path.basename(f))).toEqual(['main.conf', '10-a.conf', '20-b.conf', 'pman.conf']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the [[registry]] entry with the longest matching prefix, and *.domain wildcards', () => {
    const conf = applyRegistriesConf(emptyRegistriesConf(), '[[registry]]\nlocation="example.com"\ninsecure=true\n[[registry]]\nprefix="example.com/team"\nlocation="example.com/team"\nblocked=true\n[[registry]]\nprefix="*.corp.net"\nlocation="*.corp.net"\n', 'f');
    expect(findRegistryEntry(conf, 'example.com/team/app')?.blocked).toBe(true);
    expect(findRegistryEntry(conf, 'example.com/other')?.insecure).toBe(true);
    expect(findRegistryEntry(conf, 'example.community/x')).toBeUndefined();
    expect(findRegistryEntry(conf, 'reg.corp.net/x')?.prefix).toBe('*.corp.net');
  });
});

describe('short-name resolution', () => {
  const conf = applyRegistriesConf(emptyRegistriesConf(), 'unqualified-search-registries = ["quay.io", "docker.io"]\n[aliases]\n"fedora" = "registry.fedoraproject.org/fedora"\n', '/etc/containers/registries.conf');
  const names = (text: string, c = conf) => pullCandidates(text, c).refs.map((r) => `${r.domain}/${r.path}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`);

  it('keeps a qualified name as it is', () => {
    expect(names('ghcr.io/o/app:1')).toEqual(['ghcr.io/o/app:1']);
    expect(names('docker.io/busybox')).toEqual(['docker.io/library/busybox']);
  });

  it('uses an alias, keeping the tag or digest', () => {
    expect(names('fedora:39')).toEqual(['registry.fedoraproject.org/fedora:39']);
    const d = `sha256:${'a'.repeat(64)}`;
    expect(names(`fedora@${d}`)).toEqual([`registry.fedoraproject.org/fedora@${d}`]);
  });

  it('tries each search registry in order, Docker Hub names with library/', () => {
    expect(names('busybox')).toEqual(['quay.io/busybox', 'docker.io/library/busybox']);
    expect(names('team/app:2')).toEqual(['quay.io/team/app:2', 'docker.io/team/app:2']);
  });

  it('refuses ambiguity under enforcing, no registries, and localhost/', () => {
    const enforcing = applyRegistriesConf(conf, 'short-name-mode = "enforcing"\n', 'x');
    expect(() => names('busybox', enforcing)).toThrow('short name "busybox" is ambiguous with short-name-mode "enforcing" (search registries: quay.io, docker.io): use a fully qualified name');
    expect(() => names('busybox', emptyRegistriesConf())).toThrow('short name "busybox" did not resolve to an alias and no unqualified-search registries are defined: use a fully qualified name such as docker.io/library/busybox');
    expect(() => names('localhost/img')).toThrow('localhost/ images are local only');
    expect(names('localhost:5000/img')).toEqual(['localhost:5000/img']);
  });
});
