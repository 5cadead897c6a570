// The CLI's fast path (lib/fast-parse.ts) must read every command line it accepts exactly
// as yargs reads it. For every command, this builds many command lines from the command's own
// flags (each flag in all its spellings, repeated, clustered, with bad values, with numeric and
// dash-like positionals after it) and compares: the fast parser either declines or gives yargs's
// result, key for key.
import yargs from 'yargs';
import { commandOptionTable, fastParsed, yargsParser } from '../../lib/cli.js';
import { COMMANDS } from '../../lib/commands/index.js';
import type { CommandSpec, IO } from '../../lib/commands/types.js';
import type { OptionDef, OptionTable } from '../../lib/fast-parse.js';

const io = { stdin: process.stdin, stdout: { columns: 100 }, stderr: process.stderr } as unknown as IO;

async function viaYargs(name: string, spec: CommandSpec, args: string[]): Promise<Record<string, unknown> | Error> {
  let out: Record<string, unknown> | undefined;
  try {
    await yargsParser(yargs, name, spec, args, io, async (p) => {
      out = p;
    }).parseAsync();
  } catch (err) {
    return err as Error;
  }
  return out ?? new Error('no handler call');
}

const strip = (o: Record<string, unknown>) => {
  const { $0: _drop, ...rest } = o;
  return rest;
};

const TAILS = [[], ['img'], ['img', 'cmd', '5', '-x', '007', '1e3', '0x1f', '1.50', 'a b', '-', '--', '99999999999999999999']];

function spellings(d: OptionDef, value: string): string[][] {
  const longs = [d.name, ...d.aliases.filter((a) => a.length > 1)];
  const shorts = d.aliases.filter((a) => a.length === 1);
  const out: string[][] = [];
  for (const l of longs) {
    if (d.type === 'boolean') out.push([`--${l}`], [`--${l}=false`], [`--${l}=true`], [`--${l}=yes`], [`--${l}`, `--${l}=false`], [`--${l}`, `--${l}`]);
    else out.push([`--${l}`, value], [`--${l}=${value}`], [`--${l}=`], [`--${l}`], [`--${l}`, `-${value}`], [`--${l}`, value, `--${l}`, `${value}2`]);
  }
  for (const s of shorts) {
    if (d.type === 'boolean') out.push([`-${s}`], [`-${s}`, `-${s}`]);
    else out.push([`-${s}`, value], [`-${s}${value}`], [`-${s}`]);
  }
  return out;
}

function samples(table: OptionTable): string[][] {
  const defs = [...table.values()];
  const lines: string[][] = [];
  for (const d of defs) {
    const values = d.choices ? [...d.choices.map(String), 'bogus'] : d.type === 'number' ? ['5', 'x5', '-3', '0x10', '1.5'] : ['v', '5', 'a=b'];
    for (const v of values) for (const sp of spellings(d, v)) lines.push(sp);
  }
  // Clusters of boolean short flags, and one ending in a flag that takes a value.
  const boolShorts = defs.filter((d) => d.type === 'boolean').flatMap((d) => d.aliases.filter((a) => a.length === 1));
  const valueShorts = defs.filter((d) => d.type !== 'boolean').flatMap((d) => d.aliases.filter((a) => a.length === 1));
  if (boolShorts.length > 1) lines.push([`-${boolShorts.join('')}`], [`-${boolShorts.slice(0, 2).join('')}`]);
  for (const v of valueShorts) if (boolShorts.length) lines.push([`-${boolShorts[0]}${v}`, 'val'], [`-${v}${boolShorts[0]}`, 'val']);
  // Pairs of neighbouring flags, and the global flags before them.
  for (let i = 0; i + 1 < defs.length; i++) {
    const one = spellings(defs[i], '1')[0];
    const two = spellings(defs[i + 1], '2')[0];
    lines.push([...one, ...two], ['--root', '/r', '--log-level', 'debug', ...one]);
  }
  lines.push(['--unknown-flag'], ['--help'], ['-h'], ['--'], ['--root']);
  return lines.flatMap((l) => TAILS.map((t) => [...l, ...t])).filter((l) => !l.includes('--help') || l[0] !== '--help');
}

describe('the CLI fast path', () => {
  const names = Object.keys(COMMANDS);

  it.each(names)('reads "pman %s" command lines exactly as yargs does, or leaves them to yargs', async (name) => {
    const spec = await COMMANDS[name].load();
    const table = commandOptionTable(name, spec);
    if (!table) {
      expect(fastParsed(name, spec, ['x'])).toBeUndefined();
      return;
    }
    let taken = 0;
    for (const args of samples(table)) {
      // yargs prints help and exits the process for --help: the fast path must not take it.
      if (args.includes('--help') || (spec.shortHelp !== false && args.includes('-h'))) {
        if (args.slice(0, args.indexOf('--help') >= 0 ? args.indexOf('--help') : args.indexOf('-h')).every((a) => a.startsWith('-'))) {
          expect(fastParsed(name, spec, args)).toBeUndefined();
          continue;
        }
      }
      const fast = fastParsed(name, spec, args);
      if (fast === undefined) continue;
      taken++;
      const slow = await viaYargs(name, spec, args);
      if (slow instanceof Error) throw new Error(`pman ${name} ${JSON.stringify(args)}: the fast path accepted what yargs refuses (${slow.message})`);
      expect({ args, parsed: strip(fast) }).toEqual({ args, parsed: strip(slow) });
    }
    expect(taken).toBeGreaterThan(0);
  });

  it.each([
    ['exec', ['bx', 'true']],
    ['exec', ['-it', 'bx', 'sh']],
    ['exec', ['-i', '-e', 'A=1', '-u', '1000', '-w', '/tmp', 'bx', 'cat']],
    ['run', ['--rm', 'busybox', 'true']],
    ['run', ['-d', '--name', 'web', '-e', 'A=1', '-v', '/a:/b', 'busybox', 'sleep', '1000']],
    ['run', ['--root', '/r', '--runroot', '/rr', '-it', '--rm', 'busybox', 'sh']],
    ['ps', ['-a']],
    ['logs', ['-f', 'web']],
    ['rm', ['-f', 'a', 'b']],
    ['inspect', ['-f', '{{.Id}}', 'web']],
    ['tag', ['busybox', 'mine:1', 'mine:2']],
  ])('takes the common line pman %s %j', async (name, args) => {
    const spec = await COMMANDS[name].load();
    const fast = fastParsed(name, spec, args);
    expect(fast).toBeDefined();
    expect(strip(fast!)).toEqual(strip((await viaYargs(name, spec, args)) as Record<string, unknown>));
  });
});
