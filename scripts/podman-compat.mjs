#!/usr/bin/env node
// docs/podman-compat.md: for every flag podman 4.3.1 lists for the commands scripts use most, what
// pman does with it — supported, refused (the option exists and explains why it cannot work here:
// its description starts with "not supported"), or not accepted yet. Built from podman's own
// `--help`, captured once into scripts/podman-flags-4.3.1.txt (so neither the docs nor the test
// need podman), and pman's option table (each command's yargs builder, global options included).
//
//   node scripts/podman-compat.mjs            write docs/podman-compat.md (after npm run compile)
//   node scripts/podman-compat.mjs --check    exit 1 if docs/podman-compat.md is stale
//   node scripts/podman-compat.mjs --capture  re-read the flags from the installed podman
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FLAGS_FILE = path.join(top, 'scripts/podman-flags-4.3.1.txt');
export const DOC_FILE = path.join(top, 'docs/podman-compat.md');
export const COMMANDS = [
  'podman', 'run', 'create', 'exec', 'ps', 'rm', 'inspect', 'logs', 'start', 'stop', 'kill', 'restart', 'pause', 'wait', 'top',
  'images', 'pull', 'push', 'rmi', 'save', 'load', 'commit', 'attach', 'stats', 'cp', 'import', 'export',
];

/** Flags other issues bring (networks #15/#16, health checks #19, pods #22): named so in the table. */
const ELSEWHERE = [
  [/^--(network|net|network-alias|publish|publish-all|ip|ip6|mac-address|dns|dns-option|dns-search|add-host|http-proxy)$/, 'networks (#15, #16)'],
  [/^--(health-.*|no-healthcheck|healthcheck-.*)$/, 'health checks (#19)'],
  [/^--(pod|pod-id-file|infra.*)$/, 'pods (#22)'],
];

/** "  -a, --attach strings   Attach to ..." lines of `podman CMD --help` -> [{ flag, short }]. */
export function parseHelp(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const m = /^ {2,6}(?:(-[A-Za-z0-9]), )?(--[a-z0-9][a-z0-9-]*)/.exec(line);
    if (m) out.push({ flag: m[2], short: m[1] ?? '' });
  }
  return out;
}

function capture() {
  const lines = ['# podman 4.3.1 flags, captured by scripts/podman-compat.mjs --capture: COMMAND<TAB>--flag<TAB>-s'];
  for (const c of COMMANDS) {
    const help = execFileSync('podman', c === 'podman' ? ['--help'] : [c, '--help']).toString();
    for (const { flag, short } of parseHelp(help.slice(help.indexOf('Options:')))) {
      if (flag !== '--help') lines.push(`${c}\t${flag}\t${short}`);
    }
  }
  fs.writeFileSync(FLAGS_FILE, `${lines.join('\n')}\n`);
}

export function podmanFlags() {
  return fs
    .readFileSync(FLAGS_FILE, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [command, flag, short] = l.split('\t');
      return { command, flag, short };
    });
}

/** pman's options of a command (hidden ones too), by long flag, with their short letters. */
async function pmanOptions(name) {
  const { COMMANDS: table } = await import(path.join(top, 'dist/lib/commands/index.js'));
  const { yargsParser } = await import(path.join(top, 'dist/lib/cli.js'));
  const spec = await table[name === 'podman' ? 'version' : name].load();
  const options = new Map();
  const recorder = new Proxy({}, {
    get: (_t, prop) =>
      prop === 'option'
        ? (flag, o) => {
            const aliases = Array.isArray(o.alias) ? o.alias : o.alias ? [o.alias] : [];
            const entry = { describe: o.describe ?? '', shorts: aliases.filter((a) => a.length === 1) };
            options.set(`--${flag}`, entry);
            for (const a of aliases) if (a.length > 1) options.set(`--${a}`, entry);
            return recorder;
          }
        : () => recorder,
  });
  const io = { stdin: process.stdin, stdout: { columns: 80 }, stderr: process.stderr };
  yargsParser(() => recorder, name === 'podman' ? 'version' : name, spec, [], io, async () => undefined);
  return options;
}

function statusOf(flag, option) {
  if (option) {
    if (/^not supported/i.test(option.describe)) return `refused: ${option.describe.replace(/^not supported:?\s*/i, '')}`;
    return 'supported';
  }
  const other = ELSEWHERE.find(([re]) => re.test(flag));
  return other ? `not yet: ${other[1]}` : 'not yet';
}

export async function compatDoc() {
  const flags = podmanFlags();
  const rows = [];
  const counts = {};
  for (const command of COMMANDS) {
    const opts = await pmanOptions(command);
    for (const f of flags.filter((x) => x.command === command)) {
      const status = statusOf(f.flag, opts.get(f.flag));
      const kind = status.split(':')[0];
      counts[command] ??= { supported: 0, refused: 0, 'not yet': 0 };
      counts[command][kind]++;
      rows.push({ ...f, status });
    }
  }
  const total = (k) => Object.values(counts).reduce((n, c) => n + c[k], 0);
  const out = [
    '# podman compatibility: flags',
    '',
    '<!-- Generated by scripts/podman-compat.mjs from scripts/podman-flags-4.3.1.txt and pman\'s option table; do not edit. -->',
    '',
    "Every flag podman 4.3.1's `--help` lists for these commands, and what pman does with it:",
    '**supported** (accepted and implemented), **refused** (accepted, and refused with a message',
    'saying why it cannot work with pman on this kind of host), or **not yet** (pman does not',
    'accept it; where another piece of work brings it, that is named). `podman` is the global flags.',
    '',
    `In all: ${total('supported')} supported, ${total('refused')} refused, ${total('not yet')} not yet, of ${rows.length}.`,
    '',
    '| command | supported | refused | not yet |',
    '|---|---|---|---|',
    ...COMMANDS.map((c) => `| ${c} | ${counts[c]?.supported ?? 0} | ${counts[c]?.refused ?? 0} | ${counts[c]?.['not yet'] ?? 0} |`),
  ];
  for (const command of COMMANDS) {
    out.push('', `## ${command === 'podman' ? 'global flags' : command}`, '', '| flag | pman |', '|---|---|');
    for (const r of rows.filter((x) => x.command === command)) out.push(`| \`${r.short ? `${r.short}, ` : ''}${r.flag}\` | ${r.status} |`);
  }
  return `${out.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--capture')) capture();
  const doc = await compatDoc();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(DOC_FILE) ? fs.readFileSync(DOC_FILE, 'utf8') : '';
    if (current !== doc) {
      console.error('docs/podman-compat.md is stale: run node scripts/podman-compat.mjs');
      process.exit(1);
    }
  } else {
    fs.writeFileSync(DOC_FILE, doc);
    console.log(`podman-compat: ${path.relative(process.cwd(), DOC_FILE)}`);
  }
}
