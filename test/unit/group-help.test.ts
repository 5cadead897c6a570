// The help of a command group (pman pod, pman network …) lists its commands with the descriptions
// of the command table, the same text each command's own --help shows.
import { GROUP_VERBS, groupHelp, route, runCli } from '../../lib/cli.js';
import { COMMANDS } from '../../lib/commands/index.js';
import { SYSTEM_OWN_VERBS } from '../../lib/commands/system-verbs.js';
import type { IO } from '../../lib/commands/types.js';

function capture(): { io: IO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdout = { write: (s: string) => ((out += s), true), columns: 100 };
  const stderr = { write: (s: string) => ((err += s), true) };
  return { io: { stdin: process.stdin, stdout, stderr } as unknown as IO, out: () => out, err: () => err };
}

/** The "  word   text" lines of a group's help. */
function listing(help: string): Array<[string, string]> {
  const body = help.slice(help.indexOf('Commands:\n') + 'Commands:\n'.length, help.indexOf('\n\nRun '));
  return body.split('\n').map((l) => {
    const m = /^ {2}(\S+) +(.+)$/.exec(l);
    if (!m) throw new Error(`not a listing line: ${JSON.stringify(l)}`);
    return [m[1], m[2]];
  });
}

const GROUPS = ['container', 'image', 'system', 'healthcheck', 'kube', 'network', 'pod', 'secret', 'volume'];

describe('group help', () => {
  it('covers every group', () => {
    expect(Object.keys(GROUP_VERBS).sort()).toEqual([...GROUPS].sort());
  });

  it.each(GROUPS)("pman %s --help lists each command with the command table's description", async (group) => {
    const help = groupHelp(group);
    const rows = listing(help);
    expect(rows.length).toBeGreaterThan(0);
    for (const [word, text] of rows) {
      const target = route([group, word]).name!;
      // `pman system check|migrate|service` are the system command's own words.
      const described = target === 'system' ? SYSTEM_OWN_VERBS[word] : COMMANDS[target].describe;
      expect({ word, text }).toEqual({ word, text: described });
    }
    if (group === 'system') expect(rows.map(([w]) => w)).toEqual(expect.arrayContaining(['check', 'migrate', 'service']));
    // What the help says is what `pman GROUP --help` and `pman help GROUP` print.
    for (const argv of [[group, '--help'], ['help', group], [group, '-h']]) {
      const c = capture();
      expect(await runCli(argv, c.io)).toBe(0);
      expect(c.out()).toBe(help);
    }
  });

  it.each(['healthcheck', 'kube', 'network', 'pod', 'secret', 'volume'])('pman %s --help lists every command of the group once', (group) => {
    const rows = listing(groupHelp(group));
    const targets = rows.map(([word]) => route([group, word]).name);
    const ofGroup = Object.keys(COMMANDS).filter((n) => n.startsWith(`${group}-`));
    expect([...targets].sort()).toEqual(ofGroup.sort());
    // Under one word each, podman's where there are several (pod ps, not pod ls or pod list).
    expect(rows.map(([w]) => w)).toEqual([...new Set(rows.map(([w]) => w))].sort());
    if (group === 'pod') expect(rows.map(([w]) => w)).toContain('ps');
  });

  it('pman pod without a command lists the group on stderr and exits 125, as podman does', async () => {
    const c = capture();
    expect(await runCli(['pod'], c.io)).toBe(125);
    expect(c.err()).toBe(`Error: missing command "pman pod COMMAND"\n${groupHelp('pod')}`);
  });

  it('an unknown word of a group is named with the group, not run as a top-level command', async () => {
    expect(route(['network', 'ps']).name).toBe('network ps');
    const c = capture();
    expect(await runCli(['volume', 'bogus'], c.io)).toBe(125);
    expect(c.err()).toBe('Error: unrecognized command "pman volume bogus": run "pman --help" for the list of commands\n');
  });

  it('takes global flags between a group and its command, as podman does', async () => {
    expect(route(['secret', '--log-level', 'warn', 'ls'])).toEqual({ name: 'secret-ls', globals: ['--log-level', 'warn'], rest: [] });
    expect(route(['--root', '/r', 'pod', '--runroot=/rr', 'rm', '-f', 'p'])).toEqual({ name: 'pod-rm', globals: ['--root', '/r', '--runroot=/rr'], rest: ['-f', 'p'] });
    // Without a command after them, one line saying what is missing.
    const c = capture();
    expect(await runCli(['secret', '--log-level', 'warn'], c.io)).toBe(125);
    expect(c.err()).toBe('Error: missing command "pman secret COMMAND": run "pman secret --help" for its commands\n');
  });
});
