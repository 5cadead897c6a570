// `--change` instructions (import, commit): Dockerfile-style lines that set image config fields.
// "CMD echo hi" and "CMD=echo hi" are both accepted; CMD/ENTRYPOINT take a JSON array or shell
// form (run by /bin/sh -c), as podman and docker do.
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { commandForm, withEnv } from './config-edit.js';
import type { ImageConfigSpec } from './image-record.js';

const INSTRUCTIONS = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'];

function bad(change: string, reason: string): InvalidArgumentError {
  return new InvalidArgumentError(`invalid --change "${change}": ${reason}`);
}

/** Splits text into words as a shell would for ENV/LABEL/EXPOSE (quotes group, backslash escapes). */
export function shellWords(text: string, change = text): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) cur += text[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw bad(change, `unterminated ${quote} quote`);
  if (inWord) words.push(cur);
  return words;
}

/** A JSON array of strings, or shell form: ["/bin/sh", "-c", text]; "" clears. */
function commandOf(value: string): string[] {
  const form = commandForm(value);
  if ('exec' in form) return form.exec;
  return form.shell === '' ? [] : ['/bin/sh', '-c', form.shell];
}

function keyValues(words: string[], change: string, what: string): Array<[string, string]> {
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw bad(change, `${what} needs KEY=VALUE, got "${w}"`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

function setEnv(config: ImageConfigSpec, key: string, value: string): void {
  config.Env = withEnv(config.Env ?? [], key, value);
}

/** A signal name (TERM, SIGTERM) or number, stored as its number as podman does. */
function signalNumber(value: string, change: string): string {
  if (/^[0-9]+$/.test(value)) {
    const n = Number(value);
    if (n < 1 || n > 64) throw bad(change, `signal ${value} is out of range`);
    return String(n);
  }
  const name = value.toUpperCase().startsWith('SIG') ? value.toUpperCase() : `SIG${value.toUpperCase()}`;
  const n = (os.constants.signals as Record<string, number | undefined>)[name];
  if (n === undefined) throw bad(change, `unknown signal "${value}"`);
  return String(n);
}

function applyOne(config: ImageConfigSpec, change: string): void {
  const m = /^\s*([A-Za-z]+)(?:\s*=|\s+)([\s\S]*)$/.exec(change);
  if (!m) throw bad(change, 'must be INSTRUCTION VALUE or INSTRUCTION=VALUE');
  const instruction = m[1].toUpperCase();
  const value = m[2].trim();
  if (!INSTRUCTIONS.includes(instruction)) throw bad(change, `unknown instruction "${m[1]}" (supported: ${INSTRUCTIONS.join(', ')})`);
  if (value === '' && instruction !== 'CMD' && instruction !== 'ENTRYPOINT') throw bad(change, `${instruction} needs a value`);
  switch (instruction) {
    case 'CMD':
      config.Cmd = commandOf(value);
      return;
    case 'ENTRYPOINT':
      config.Entrypoint = commandOf(value);
      return;
    case 'ENV': {
      const words = shellWords(value, change);
      if (words.length > 0 && !words[0].includes('=')) {
        // Legacy form: ENV KEY the rest of the line
        const rest = value.slice(value.indexOf(words[0]) + words[0].length).trim();
        setEnv(config, words[0], rest);
      } else for (const [k, v] of keyValues(words, change, 'ENV')) setEnv(config, k, v);
      return;
    }
    case 'LABEL':
      config.Labels = { ...(config.Labels ?? {}) };
      for (const [k, v] of keyValues(shellWords(value, change), change, 'LABEL')) config.Labels[k] = v;
      return;
    case 'EXPOSE':
      config.ExposedPorts = { ...(config.ExposedPorts ?? {}) };
      for (const port of shellWords(value, change)) {
        const p = /^([0-9]{1,5}(?:-[0-9]{1,5})?)(?:\/(tcp|udp|sctp))?$/i.exec(port);
        if (!p || p[1].split('-').some((n) => Number(n) < 1 || Number(n) > 65535)) throw bad(change, `"${port}" is not a port (PORT[-PORT][/tcp|udp|sctp])`);
        config.ExposedPorts[`${p[1]}/${(p[2] ?? 'tcp').toLowerCase()}`] = {};
      }
      return;
    case 'VOLUME': {
      const list = value.startsWith('[') ? commandOf(value) : shellWords(value, change);
      if (value.startsWith('[') && list[0] === '/bin/sh' && list[1] === '-c') throw bad(change, 'VOLUME needs a JSON array of strings or paths separated by spaces');
      config.Volumes = { ...(config.Volumes ?? {}) };
      for (const v of list) {
        if (!v.startsWith('/')) throw bad(change, `volume "${v}" is not an absolute path`);
        config.Volumes[v] = {};
      }
      return;
    }
    case 'WORKDIR':
      config.WorkingDir = path.posix.resolve('/', config.WorkingDir || '/', value);
      return;
    case 'USER':
      config.User = value;
      return;
    case 'STOPSIGNAL':
      config.StopSignal = signalNumber(value, change);
      return;
  }
}

/** Applies `changes` in order to a copy of `config`. */
export function applyChanges(config: ImageConfigSpec, changes: string[]): ImageConfigSpec {
  const out: ImageConfigSpec = { ...config };
  for (const change of changes) applyOne(out, change);
  return out;
}
