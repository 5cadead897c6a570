// docs/podman-compat.md is what scripts/podman-compat.mjs makes of podman 4.3.1's flags (captured in
// scripts/podman-flags-4.3.1.txt) and pman's option table: it fails when the page is stale or a
// podman flag is missing from it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Compat {
  FLAGS_FILE: string;
  DOC_FILE: string;
  COMMANDS: string[];
  parseHelp(text: string): Array<{ flag: string; short: string }>;
  podmanFlags(): Array<{ command: string; flag: string; short: string }>;
  compatDoc(): Promise<string>;
}

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
let compat: Compat;
beforeAll(async () => {
  compat = (await import(path.join(PROJECT, 'scripts/podman-compat.mjs'))) as Compat;
});

describe('docs/podman-compat.md', () => {
  it('is what the script generates now (run "node scripts/podman-compat.mjs" after changing flags)', async () => {
    expect(fs.readFileSync(compat.DOC_FILE, 'utf8')).toBe(await compat.compatDoc());
  });

  it('has a row for every podman flag of every command, under that command', () => {
    const doc = fs.readFileSync(compat.DOC_FILE, 'utf8');
    const sections = new Map<string, string>();
    for (const part of doc.split('\n## ').slice(1)) sections.set(part.slice(0, part.indexOf('\n')), part);
    const flags = compat.podmanFlags();
    expect(new Set(flags.map((f) => f.command))).toEqual(new Set(compat.COMMANDS));
    const absent = flags.filter((f) => {
      const section = sections.get(f.command === 'podman' ? 'global flags' : f.command) ?? '';
      return !section.includes(`| \`${f.short ? `${f.short}, ` : ''}${f.flag}\` | `);
    });
    expect(absent).toEqual([]);
    // podman 4.3.1's run lists 131 flags (with --help: 130 here).
    expect(flags.filter((f) => f.command === 'run')).toHaveLength(130);
  });

  it('marks a flag pman refuses, supports or lacks from its option table', () => {
    const doc = fs.readFileSync(compat.DOC_FILE, 'utf8');
    expect(doc).toContain('| `-r, --remote` | refused: pman has no remote client |');
    expect(doc).toContain('| `--noout` | supported |');
    expect(doc).toMatch(/\| `--health-cmd` \| (supported|not yet: health checks \(#19\)) \|/);
  });

  it('reads flags out of podman --help text, short letters included', () => {
    const help = 'Options:\n  -a, --attach strings   Attach to STDIN\n      --cidfile string   Write\n                         continued\n';
    expect(compat.parseHelp(help)).toEqual([
      { flag: '--attach', short: '-a' },
      { flag: '--cidfile', short: '' },
    ]);
  });
});
