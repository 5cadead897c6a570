// The instructions that change only the image's configuration (ENV, LABEL, CMD, ENTRYPOINT,
// EXPOSE, USER, WORKDIR, VOLUME, STOPSIGNAL, HEALTHCHECK, SHELL, ONBUILD, MAINTAINER): each is a
// pure function from the stage's config to the next one. Docker-only fields (Healthcheck, Shell,
// OnBuild) are kept while building and written to the image only in the docker format.
import { InvalidArgumentError } from '../errors.js';
import { commandForm, withEnv } from '../image/config-edit.js';
import { instructionText, type Instruction } from './containerfile.js';
import { expandPairs, expandWord, expandWords, type Vars } from './expand.js';

export type Config = Record<string, unknown>;

export const DEFAULT_SHELL = ['/bin/sh', '-c'];
export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function commandOf(args: string, shell: string[]): string[] {
  const f = commandForm(args);
  return 'exec' in f ? f.exec : [...shell, f.shell];
}

export function envOf(config: Config): string[] {
  return Array.isArray(config.Env) ? (config.Env as string[]) : [];
}

function parseDuration(text: string, flag: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ns|us|ms|s|m|h)$/.exec(text);
  if (!m) throw new InvalidArgumentError(`invalid HEALTHCHECK --${flag} "${text}": use a duration such as 30s or 1m`);
  const unit = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }[m[2] as 'ns'];
  return Math.round(Number(m[1]) * unit);
}

function healthcheck(ins: Instruction): Config {
  const [word, ...rest] = ins.args.split(/\s+/);
  if (word.toUpperCase() === 'NONE') return { Test: ['NONE'] };
  if (word.toUpperCase() !== 'CMD') throw new InvalidArgumentError(`HEALTHCHECK takes NONE or CMD followed by a command, not "${ins.args}"`);
  const cmdText = ins.args.slice(word.length).trim();
  if (rest.length === 0) throw new InvalidArgumentError('HEALTHCHECK CMD needs a command');
  const f = commandForm(cmdText);
  const out: Config = { Test: 'exec' in f ? ['CMD', ...f.exec] : ['CMD-SHELL', f.shell] };
  const durations: Record<string, string> = { interval: 'Interval', timeout: 'Timeout', 'start-period': 'StartPeriod', 'start-interval': 'StartInterval' };
  for (const [flag, value] of ins.flags) {
    if (durations[flag]) out[durations[flag]] = parseDuration(value, flag);
    else if (flag === 'retries') {
      if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError(`invalid HEALTHCHECK --retries "${value}": use a whole number`);
      out.Retries = Number(value);
    } else throw new InvalidArgumentError(`unknown HEALTHCHECK flag --${flag}`);
  }
  return out;
}

export interface MetaContext {
  vars: Vars;
  escape: string;
  shell: string[];
}

/** The config after one metadata instruction (the input is not changed). */
export function applyMetadata(config: Config, ins: Instruction, m: MetaContext): Config {
  const c: Config = { ...config };
  const v = m.vars;
  switch (ins.keyword) {
    case 'ENV': {
      let env = envOf(c);
      for (const [k, val] of expandPairs(ins.args, v, m.escape, 'ENV', true)) env = withEnv(env, k, val);
      c.Env = env;
      break;
    }
    case 'LABEL': {
      const labels = { ...((c.Labels as Record<string, string> | null) ?? {}) };
      for (const [k, val] of expandPairs(ins.args, v, m.escape, 'LABEL', false)) labels[k] = val;
      c.Labels = labels;
      break;
    }
    case 'MAINTAINER':
      break; // recorded in the config blob's author by the caller
    case 'CMD':
      c.Cmd = commandOf(ins.args, m.shell);
      break;
    case 'ENTRYPOINT':
      c.Entrypoint = commandOf(ins.args, m.shell);
      // As docker: a new ENTRYPOINT drops the CMD inherited from the base image.
      delete c.Cmd;
      break;
    case 'EXPOSE': {
      const ports = { ...((c.ExposedPorts as Record<string, object>) ?? {}) };
      for (const p of expandWords(ins.args, v, m.escape)) {
        if (!/^[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/i.test(p)) throw new InvalidArgumentError(`invalid EXPOSE port "${p}": use PORT[/PROTOCOL]`);
        ports[p.includes('/') ? p.toLowerCase() : `${p}/tcp`] = {};
      }
      c.ExposedPorts = ports;
      break;
    }
    case 'USER':
      c.User = expandWord(ins.args, v, m.escape);
      break;
    case 'WORKDIR': {
      const dir = expandWord(ins.args, v, m.escape);
      const base = typeof c.WorkingDir === 'string' && c.WorkingDir ? c.WorkingDir : '/';
      c.WorkingDir = dir.startsWith('/') ? dir : `${base.replace(/\/$/, '')}/${dir}`;
      break;
    }
    case 'VOLUME': {
      const vols = { ...((c.Volumes as Record<string, object>) ?? {}) };
      const f = commandForm(ins.args);
      const list = 'exec' in f ? f.exec.map((p) => expandWord(p, v, m.escape)) : expandWords(f.shell, v, m.escape);
      for (const p of list) vols[p] = {};
      c.Volumes = vols;
      break;
    }
    case 'STOPSIGNAL':
      c.StopSignal = expandWord(ins.args, v, m.escape);
      break;
    case 'HEALTHCHECK':
      c.Healthcheck = healthcheck(ins);
      break;
    case 'SHELL': {
      const f = commandForm(ins.args);
      if (!('exec' in f) || f.exec.length === 0) throw new InvalidArgumentError(`SHELL needs a JSON array such as ["/bin/bash", "-c"], not ${ins.args}`);
      c.Shell = f.exec;
      break;
    }
    case 'ONBUILD': {
      const trigger = ins.args.trim();
      const word = trigger.split(/\s+/, 1)[0].toUpperCase();
      if (['ONBUILD', 'FROM', 'MAINTAINER'].includes(word)) throw new InvalidArgumentError(`ONBUILD cannot trigger ${word}`);
      c.OnBuild = [...((c.OnBuild as string[] | null) ?? []), trigger];
      break;
    }
    default:
      throw new InvalidArgumentError(`${ins.keyword} is not a configuration instruction`);
  }
  return c;
}

export { configForFormat } from '../image/config-edit.js';

/** The history line podman writes for a metadata step. */
export function nopHistory(ins: Instruction, shell: string[]): string {
  return `${shell.join(' ')} #(nop) ${instructionText(ins)}`;
}
