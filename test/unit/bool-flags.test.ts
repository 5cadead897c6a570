// Boolean flags given a value: podman's spellings (Go's strconv.ParseBool) become true/false, any
// other value is refused naming the flag, on both of the CLI's parsers.
import yargs from 'yargs';
import { checkBooleanFlags, type FlagKind } from '../../lib/bool-flags.js';
import { commandOptionTable, runCli, tableKinds, yargsKinds, yargsParser } from '../../lib/cli.js';
import { startsContainer } from '../../lib/command-word.js';
import { COMMANDS } from '../../lib/commands/index.js';
import type { IO } from '../../lib/commands/types.js';

const kinds: Record<string, 'boolean' | 'value'> = { privileged: 'boolean', i: 'boolean', t: 'boolean', 'no-trunc': 'boolean', e: 'value', env: 'value', name: 'value' };
const kind: FlagKind = (n) => kinds[n];

describe('checkBooleanFlags', () => {
  it.each(['1', 't', 'T', 'TRUE', 'true', 'True'])('reads --privileged=%s as true, as podman does', (v) => {
    expect(checkBooleanFlags([`--privileged=${v}`, 'img'], kind, true)).toEqual(['--privileged=true', 'img']);
  });

  it.each(['0', 'f', 'F', 'FALSE', 'false', 'False'])('reads --privileged=%s as false, as podman does', (v) => {
    expect(checkBooleanFlags([`--privileged=${v}`, 'img'], kind, true)).toEqual(['--privileged=false', 'img']);
  });

  it.each(['maybe', 'yes', 'no', '', 'tRUE', '2', ' true'])('refuses --privileged=%j naming the flag and the value', (v) => {
    expect(() => checkBooleanFlags([`--privileged=${v}`, 'img'], kind, true)).toThrow(`invalid value "${v}" for --privileged: a boolean flag takes true or false`);
  });

  it('checks short boolean flags given a value, and real --no-* flags', () => {
    expect(() => checkBooleanFlags(['-i=maybe', 'img'], kind, true)).toThrow('invalid value "maybe" for -i: a boolean flag takes true or false');
    expect(checkBooleanFlags(['-i=1', 'img'], kind, true)).toEqual(['-i=true', 'img']);
    expect(() => checkBooleanFlags(['--no-trunc=maybe'], kind, false)).toThrow('invalid value "maybe" for --no-trunc');
    expect(checkBooleanFlags(['--no-trunc=F'], kind, false)).toEqual(['--no-trunc=false']);
  });

  it('refuses --no-BOOL of a boolean that has no such flag, saying what to write', () => {
    expect(() => checkBooleanFlags(['--no-privileged', 'img'], kind, true)).toThrow('unknown flag --no-privileged: use --privileged=false');
    expect(() => checkBooleanFlags(['--no-privileged=true', 'img'], kind, true)).toThrow('unknown flag --no-privileged=true'.replace('=true', ''));
    // Not a boolean's negation: left to the parser's own unknown-flag error.
    expect(checkBooleanFlags(['--no-name', 'img'], kind, true)).toEqual(['--no-name', 'img']);
  });

  it("leaves the container's command alone: words after the first positional, or after --", () => {
    const line = ['--name', 'web', '-e', 'A=1', 'img', 'sh', '--privileged=maybe', '-i=x'];
    expect(checkBooleanFlags(line, kind, true)).toBe(line);
    expect(checkBooleanFlags(['--', '--privileged=maybe'], kind, false)).toEqual(['--', '--privileged=maybe']);
    // Flags' values are skipped over (they are not the first positional), clusters included.
    expect(() => checkBooleanFlags(['--env', 'A=1', '--privileged=maybe', 'img'], kind, true)).toThrow(/--privileged/);
    expect(() => checkBooleanFlags(['-ie', 'A=1', '--privileged=maybe', 'img'], kind, true)).toThrow(/--privileged/);
    expect(() => checkBooleanFlags(['-eA=1', '--privileged=maybe', 'img'], kind, true)).toThrow(/--privileged/);
    expect(checkBooleanFlags(['-it', 'img', '--privileged=maybe'], kind, true)).toEqual(['-it', 'img', '--privileged=maybe']);
  });

  it('checks flags after positionals for commands that take them (rm a --force=maybe)', () => {
    expect(() => checkBooleanFlags(['a', 'b', '--privileged=maybe'], kind, false)).toThrow(/--privileged/);
  });
});

describe('flags taking a value, followed by a word with a dash', () => {
  it('take that word as their value, as pflag does (--name -x names the container "-x")', () => {
    expect(checkBooleanFlags(['--name', '-x', 'img'], kind, true)).toEqual(['--name=-x', 'img']);
    expect(checkBooleanFlags(['--name', '--privileged', '-e', '-x', 'img', '--name', '-y'], kind, true)).toEqual(['--name=--privileged', '-e=-x', 'img', '--name', '-y']);
    // A value without a dash, "-" and "--" stay as they were.
    expect(checkBooleanFlags(['--name', 'web', '-e', 'A=1', 'img'], kind, true)).toEqual(['--name', 'web', '-e', 'A=1', 'img']);
    expect(checkBooleanFlags(['--name', '--', 'img'], kind, true)).toEqual(['--name', '--', 'img']);
  });

  it('leave a flag whose value is optional alone (build --pull -t x)', () => {
    const k: FlagKind = (n) => ({ pull: 'value', t: 'value' } as Record<string, 'value'>)[n];
    expect(checkBooleanFlags(['--pull', '-t', 'x', '.'], k, false, ['pull'])).toEqual(['--pull', '-t', 'x', '.']);
    expect(checkBooleanFlags(['--pull', '-t', 'x', '.'], k, false)).toEqual(['--pull=-t', 'x', '.']);
  });
});

describe('the two parsers agree on which flags are booleans', () => {
  const io = { stdin: process.stdin, stdout: { columns: 100 }, stderr: process.stderr } as unknown as IO;

  it.each(Object.keys(COMMANDS))('pman %s: the fast table and yargs declare the same booleans', async (name) => {
    const spec = await COMMANDS[name].load();
    const y = yargsParser(yargs, name, spec, [], io, async () => undefined);
    const slow = yargsKinds(y);
    const table = commandOptionTable(name, spec);
    if (!table) {
      // Only yargs reads this command: its booleans are checked from yargs's own declarations.
      expect(slow('log-level')).toBe('value');
      expect(slow('noout')).toBe('boolean');
      return;
    }
    const fast = tableKinds(table);
    const names = [...table.values()].flatMap((d) => [d.name, ...d.aliases]);
    expect(names.map((n) => [n, fast(n)])).toEqual(names.map((n) => [n, slow(n)]));
    expect(fast('no-such-flag')).toBeUndefined();
    expect(slow('no-such-flag')).toBeUndefined();
  });
});

describe('every command refuses a boolean flag with a bogus value', () => {
  function capture(): { io: IO; err: () => string } {
    let err = '';
    const sink = { write: () => true, columns: 100 };
    const stderr = { write: (s: string) => ((err += s), true) };
    return { io: { stdin: process.stdin, stdout: sink, stderr } as unknown as IO, err: () => err };
  }

  // run, create and start would boot a standby shim first (test/integration/cli-errors.test.ts runs them).
  it.each(Object.keys(COMMANDS).filter((n) => !startsContainer([n])))('pman %s --FLAG=maybe exits 125 with one line', async (name) => {
    const spec = await COMMANDS[name].load();
    const y = yargsParser(yargs, name, spec, [], io(), async () => undefined);
    // Its own first boolean, else the global --noout every command has.
    const own = (y as unknown as { getOptions(): { boolean: string[] } }).getOptions().boolean.filter((b) => b.length > 1 && !['help', 'version', 'noout', 'syslog', 'remote'].includes(b));
    const flag = own.length ? own[0] : 'noout';
    const argv = [name, `--${flag}=maybe`];
    const c = capture();
    const code = await runCli(argv, c.io);
    expect({ code, err: c.err() }).toEqual({ code: 125, err: `Error: invalid value "maybe" for --${flag}: a boolean flag takes true or false\n` });
  });

  function io(): IO {
    return capture().io;
  }
});
