#!/usr/bin/env node
// Writes the manual pages, pman(1) and one pman-COMMAND(1) per command, from what `--help` shows:
// the command table (lib/commands/index.ts: names, one-line descriptions), each command's usage
// and options (scripts/command-options.mjs: what lib/cli.ts declares, global options and the
// command's yargs builder), and the prose of docs/commands.md and the README. Run after the
// TypeScript build (it reads dist/lib); `npm run build` and install.sh do.
//
// Usage: node scripts/gen-man.mjs [OUTDIR]   (default dist/man/man1)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const top = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.resolve(process.argv[2] ?? path.join(top, 'dist/man/man1'));
const { COMMANDS } = await import(path.join(top, 'dist/lib/commands/index.js'));
const { commandOptions, flagsOf, globalOptions } = await import('./command-options.mjs');
const { version } = JSON.parse(fs.readFileSync(path.join(top, 'package.json'), 'utf8'));

// --- roff ---------------------------------------------------------------------------------------

const CHARS = { '…': '...', '—': '\\(em', '–': '\\(en', '−': '\\-', '→': '\\(->', '⇄': '<\\->', '‘': "'", '’': "'", '“': '"', '”': '"' };

/**
 * Plain text made safe for a roff text line: backslashes, non-ASCII, break points in long words;
 * with `code`, hyphens become minus signs (\-), as options and commands need to be typed.
 */
function esc(text, code = false) {
  let s = text.replace(/\\/g, '\\e');
  if (code) s = s.replace(/-/g, '\\-');
  s = s.replace(/[^\x00-\x7f]/gu, (c) => CHARS[c] ?? `\\[u${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
  // A word longer than a line cannot be set without a warning: let it break after , / | and before {.
  return s.replace(/\S{30,}/g, (w) => w.replace(/([,/|])(?=.)/g, '$1\\:').replace(/(.)\{/g, '$1\\:{'));
}

/** A roff line must not start with . or ' (a request); \& in front makes it text. */
function line(s) {
  return /^[.']/.test(s) ? `\\&${s}` : s;
}

/** Markdown inline markup to roff: `code` bold, **strong** bold, *em* italic, [text](link) text. */
function inline(md) {
  const parts = md.split(/(`[^`]*`)/);
  return parts
    .map((p) => {
      if (p.startsWith('`') && p.endsWith('`') && p.length > 1) return `\\fB${esc(p.slice(1, -1), true)}\\fR`;
      return esc(p)
        .replace(/\*\*([^*]+)\*\*/g, '\\fB$1\\fR')
        .replace(/\*([^*\s][^*]*)\*/g, '\\fI$1\\fR')
        .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1');
    })
    .join('');
}

/** Markdown paragraphs and lists to roff (tables are left out: the options come from the builders). */
function prose(md) {
  const out = [];
  let para = [];
  const flush = () => {
    if (para.length) out.push('.PP', ...para.map((l) => line(inline(l))));
    para = [];
  };
  for (const raw of md.split('\n')) {
    const l = raw.trimEnd();
    if (l === '' || l.startsWith('|') || l.startsWith('#') || l.startsWith('```')) {
      flush();
      continue;
    }
    const item = /^\s*[-*] (.*)$/.exec(l);
    if (item) {
      flush();
      out.push('.IP \\(bu 2', line(inline(item[1])));
    } else if (/^\s+\S/.test(l) && out.length && out[out.length - 2]?.startsWith('.IP')) {
      out.push(line(inline(l.trim()))); // a list item's continuation line
    } else {
      para.push(l.trim());
    }
  }
  flush();
  return out;
}

// --- docs ---------------------------------------------------------------------------------------

/** The prose of docs/commands.md under each `### \`pman NAME …\`` heading, by command name. */
function commandDocs() {
  const text = fs.readFileSync(path.join(top, 'docs/commands.md'), 'utf8');
  const docs = new Map();
  let current = [];
  let preamble = [];
  let inPreamble = true;
  for (const l of text.split('\n')) {
    if (l.startsWith('#')) {
      if (l.startsWith('## ') || l.startsWith('### ')) inPreamble = false;
      current = [];
      if (l.startsWith('### ')) {
        for (const m of l.matchAll(/`pman ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?/g)) {
          const name = m[2] && COMMANDS[`${m[1]}-${m[2]}`] ? `${m[1]}-${m[2]}` : m[1];
          if (!COMMANDS[name]) continue;
          if (!docs.has(name)) docs.set(name, current);
          else if (docs.get(name) !== current) {
            // A second section of one command (`pman system check`, `pman system service` …): its
            // heading and prose go on in the first one's page.
            docs.get(name).push('', l.slice(4));
            current = docs.get(name);
          }
        }
      }
      continue;
    }
    (inPreamble ? preamble : current).push(l);
  }
  return { preamble: preamble.join('\n'), sections: new Map([...docs].map(([k, v]) => [k, v.join('\n')])) };
}

/** The README's first paragraph (what pman is). */
function readmeIntro() {
  const text = fs.readFileSync(path.join(top, 'README.md'), 'utf8');
  return text.split('\n## ')[0].replace(/^# .*\n/, '').trim().split(/\n\s*\n/)[0];
}

/** The date of the last commit, when this is a git checkout: pages of the same sources are identical. */
function sourceDate() {
  try {
    return execFileSync('git', ['-C', top, 'log', '-1', '--format=%cs'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return '';
  }
}

// --- pages --------------------------------------------------------------------------------------

const pageName = (name) => `pman-${name}`;
// Left-adjusted, unhyphenated: long code words then never leave a line that cannot be adjusted.
const title = (page, date) => `.TH ${page.toUpperCase()} 1 "${date}" "pman ${version}" "pman Manual"\n.ad l\n.nh`;

function optionLines(o) {
  const flags = flagsOf(o)
    .sort((a, b) => a.length - b.length)
    .map((f) => `\\fB${f.replace(/-/g, '\\-')}\\fR`);
  const arg = o.type === 'boolean' ? '' : o.type === 'number' ? ' \\fIN\\fR' : ' \\fIVALUE\\fR';
  let text = o.describe ? String(o.describe) : '';
  if (o.choices) text += `${text ? ' ' : ''}(one of: ${o.choices.join(', ')})`;
  if (o.default !== undefined && o.default !== false && !(Array.isArray(o.default) && o.default.length === 0)) {
    text += `${text ? ' ' : ''}(default: ${JSON.stringify(o.default)})`;
  }
  return ['.TP', `${flags.join(', ')}${arg}`, line(esc(text || ' '))];
}

function commandPage(name, spec, globals, docs, date) {
  const entry = COMMANDS[name];
  const options = commandOptions(name, spec);
  const [usageLine, ...usageRest] = spec.usage.split('\n');
  const words = name.split('-');
  const synopsis = entry.hidden && words.length > 1 ? usageLine.replace(name, words.join(' ')) : usageLine;
  const globalNames = new Set(globals.map((g) => g.name));
  const own = options.filter((o) => !globalNames.has(o.name));
  const out = [title(pageName(name), date), '.SH NAME', `${pageName(name).replace(/-/g, '\\-')} \\- ${esc(entry.describe)}`];
  out.push('.SH SYNOPSIS', `\\fBpman\\fR ${esc(synopsis)}`);
  out.push('.SH DESCRIPTION', line(esc(`${entry.describe}.`)));
  // Extra usage text a command prints under its usage line (pman system: its subcommands).
  const extra = usageRest.join('\n').trim();
  if (extra) out.push('.PP', '.nf', ...extra.split('\n').map((l) => line(esc(l))), '.fi');
  const doc = docs.sections.get(name);
  if (doc) out.push(...prose(doc));
  if (own.length) {
    out.push('.SH OPTIONS');
    for (const o of own) out.push(...optionLines(o));
  }
  out.push('.SH GLOBAL OPTIONS', '.PP', `See \\fBpman\\fR(1): ${globals.map((g) => `\\fB\\-\\-${g.name.replace(/-/g, '\\-')}\\fR`).join(', ')}.`);
  out.push('.SH EXIT STATUS', '.PP', exitStatus(name));
  out.push('.SH SEE ALSO', '.PP', `\\fBpman\\fR(1)`);
  return `${out.join('\n')}\n`;
}

function exitStatus(name) {
  if (['run', 'exec', 'start'].includes(name)) {
    return "The container's (or process's) own exit status; 125 for an error of pman itself, 126 when the command cannot be invoked, 127 when it is not found.";
  }
  return '0 on success, 125 for an error of pman (a bad flag, an unknown name, a wrong state).';
}

function mainPage(globals, docs, date, names) {
  const out = [title('pman', date), '.SH NAME', 'pman \\- a daemonless, Podman\\-style container manager'];
  out.push('.SH SYNOPSIS', '\\fBpman\\fR [\\fIglobal options\\fR] \\fICOMMAND\\fR [\\fIoptions\\fR] [\\fIarguments\\fR]');
  out.push('.SH DESCRIPTION', ...prose(readmeIntro()), ...prose(docs.preamble));
  out.push('.SH COMMANDS');
  for (const name of names) {
    const words = name.split('-');
    const shown = COMMANDS[name].hidden && words.length > 1 ? words.join(' ') : name;
    out.push('.TP', `\\fB${shown}\\fR`, `${line(esc(COMMANDS[name].describe))}; see \\fB${pageName(name).replace(/-/g, '\\-')}\\fR(1).`);
  }
  out.push('.SH GLOBAL OPTIONS');
  for (const g of globals) out.push(...optionLines(g));
  out.push(
    '.SH ENVIRONMENT',
    '.TP',
    '\\fBPMAN_ROOT\\fR, \\fBPMAN_RUNROOT\\fR',
    'The persistent and the runtime state directory, as \\fB\\-\\-root\\fR and \\fB\\-\\-runroot\\fR.',
    '.TP',
    '\\fBPMAN_RUNTIME\\fR',
    'The OCI runtime, as \\fB\\-\\-runtime\\fR (default \\fBrunc\\fR).',
    '.SH FILES',
    '.TP',
    '\\fI/var/lib/pman\\fR, \\fI/run/pman\\fR',
    "Root's persistent and runtime state.",
    '.TP',
    '\\fI~/.local/share/pman\\fR, \\fI$XDG_RUNTIME_DIR/pman\\fR',
    "An ordinary user's (rootless) persistent and runtime state; without \\fBXDG_RUNTIME_DIR\\fR, \\fI/tmp/pman\\-UID\\fR.",
    '.SH SEE ALSO',
    '.PP',
    `${names.map((n) => `\\fB${pageName(n).replace(/-/g, '\\-')}\\fR(1)`).join(', ')}, \\fBrunc\\fR(8), \\fBpodman\\fR(1)`,
  );
  return `${out.join('\n')}\n`;
}

const date = sourceDate();
const docs = commandDocs();
const globals = globalOptions();
const names = Object.keys(COMMANDS).sort();
fs.mkdirSync(outdir, { recursive: true });
// Pages of commands that no longer exist go: the directory holds exactly this build's pages.
for (const f of fs.readdirSync(outdir)) if (/^pman(-.*)?\.1$/.test(f)) fs.rmSync(path.join(outdir, f));
fs.writeFileSync(path.join(outdir, 'pman.1'), mainPage(globals, docs, date, names));
for (const name of names) {
  const spec = await COMMANDS[name].load();
  fs.writeFileSync(path.join(outdir, `${pageName(name)}.1`), commandPage(name, spec, globals, docs, date));
}
console.log(`gen-man: ${names.length + 1} pages -> ${path.relative(process.cwd(), outdir) || '.'}`);
