// A container's OCI hooks (docs/commands.md, "OCI hooks"): the hooks whose conditions its
// configuration meets go into config.json's `hooks`, stage by stage in the order of their file
// names, and runc runs them (poststop ones at `runc delete`, which the shim calls once the
// container has exited). podman's own extension stage, precreate, is run here at create: each such
// hook reads the configuration on stdin and answers with the one to use, as podman runs it.
import { spawnSync } from 'node:child_process';
import type { Context } from '../context.js';
import { RuntimeError } from '../errors.js';
import { PRECREATE, hooksDirs, readHooks, type HookConfig, type HookWhen, type OciHook } from './hooks.js';
import { parseSpec, serializeSpec } from './spec.js';

/** What a hook's conditions are matched against: the container's command, its annotations, whether the user gave it mounts. */
export interface HookSubject {
  command: string;
  annotations: Record<string, string>;
  hasBindMounts: boolean;
}

/** Whether `when` holds for the container (podman's rules: every condition given, or any one for a 0.1.0 file; none given never matches). */
export function hookMatches(when: HookWhen, s: HookSubject): boolean {
  const held: boolean[] = [];
  if (when.always !== undefined) held.push(when.always);
  if (when.hasBindMounts !== undefined) held.push(when.hasBindMounts && s.hasBindMounts);
  for (const [key, value] of when.annotations ?? []) held.push(Object.entries(s.annotations).some(([k, v]) => key.test(k) && value.test(v)));
  if (when.commands?.length) held.push(when.commands.some((c) => c.test(s.command)));
  return when.any ? held.some(Boolean) : held.length > 0 && held.every(Boolean);
}

/** The matching hooks by stage (stages without one left out), in the order given. */
export function hooksByStage(hooks: HookConfig[], s: HookSubject): Map<string, Array<{ hook: OciHook; file: string }>> {
  const out = new Map<string, Array<{ hook: OciHook; file: string }>>();
  for (const h of hooks) {
    if (!hookMatches(h.when, s)) continue;
    for (const stage of h.stages) out.set(stage, [...(out.get(stage) ?? []), { hook: h.hook, file: h.file }]);
  }
  return out;
}

/**
 * Puts the container's hooks into `spec` (after running its precreate hooks on it). `cwd`: where a
 * precreate hook runs (the container's bundle directory, where runc runs the others).
 */
export function applySpecHooks(ctx: Context, spec: Record<string, unknown>, hasBindMounts: boolean, cwd: string): void {
  const hooks = readHooks(hooksDirs(ctx), (m) => ctx.debug(m));
  if (hooks.length === 0) return;
  const proc = spec.process as { args?: string[] } | undefined;
  const subject = { command: proc?.args?.[0] ?? '', annotations: (spec.annotations as Record<string, string> | undefined) ?? {}, hasBindMounts };
  const byStage = hooksByStage(hooks, subject);
  for (const { hook, file } of byStage.get(PRECREATE) ?? []) filterSpec(spec, hook, file, cwd);
  byStage.delete(PRECREATE);
  if (byStage.size === 0) return;
  const own = (spec.hooks as Record<string, OciHook[]> | undefined) ?? {};
  for (const [stage, list] of byStage) own[stage] = [...(own[stage] ?? []), ...list.map((l) => l.hook)];
  spec.hooks = own;
}

/** One precreate hook: the configuration on its stdin, the one to use on its stdout (replacing `spec` in place). */
function filterSpec(spec: Record<string, unknown>, hook: OciHook, file: string, cwd: string): void {
  const fail = (why: string) => new RuntimeError(`precreate hook "${file}" (${hook.path}): ${why}`);
  const r = spawnSync(hook.path, (hook.args ?? [hook.path]).slice(1), {
    argv0: hook.args?.[0] ?? hook.path,
    env: envObject(hook.env ?? []),
    input: serializeSpec(spec),
    cwd,
    timeout: hook.timeout ? hook.timeout * 1000 : undefined,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // A hook that does not read its stdin leaves it unread (EPIPE): its answer still counts, as in podman.
  if (r.error && (r.error as NodeJS.ErrnoException).code !== 'EPIPE') throw fail((r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' ? `killed after its timeout of ${hook.timeout}s` : r.error.message);
  if (r.status !== 0) throw fail(`${r.signal ? `killed by ${r.signal}` : `exit status ${r.status}`}${r.stderr.length ? `: ${r.stderr.toString().trim()}` : ''}`);
  let next: unknown;
  try {
    next = parseSpec(r.stdout.toString());
  } catch (err) {
    throw fail(`its output is not JSON (${(err as Error).message})`);
  }
  if (typeof next !== 'object' || next === null || Array.isArray(next)) throw fail('its output is not a JSON object');
  for (const key of Object.keys(spec)) delete spec[key];
  Object.assign(spec, next);
}

/** A hook's `env` (KEY=VALUE lines, its whole environment) as spawn takes it. */
function envObject(lines: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf('=');
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
  }
  return env;
}
