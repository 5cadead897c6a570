// /containers/…: each handler calls the library function `pman` itself calls for the same verb.
import type { Context } from '../context.js';
import { applyConfDefaultsWithoutFlags } from '../container/conf-defaults-flagless.js';
import { createContainer } from '../container/create.js';
import { withDefaultUserns } from '../container/userns-default.js';
import { listForPs } from '../container/ps.js';
import { reconcile } from '../container/reconcile.js';
import { pauseContainer, unpauseContainer } from '../container/pause.js';
import { removeContainer } from '../container/remove.js';
import { renameContainer } from '../container/rename.js';
import { restartContainer } from '../container/restart.js';
import { launchShim, shimAlive, startDetached } from '../container/start.js';
import { killContainer, stopContainer } from '../container/stop.js';
import { topContainer, parseDescriptors, DEFAULT_DESCRIPTORS } from '../container/top.js';
import { showLogs } from '../container/logs.js';
import { parseDetachKeys, DEFAULT_DETACH_KEYS } from '../container/parse/detach-keys.js';
import { parseTimeFilter } from '../logs/filter.js';
import { encodeFrame, Frame, PROTOCOL_VERSION } from '../shim/protocol.js';
import { connectShim } from '../container/attach-client.js';
import type { ContainerRecord } from '../state/container-record.js';
import { resolveContainer } from '../state/containers.js';
import { assertCan, isCreated, isExited, isRunning } from '../state/container-status.js';
import type { Call } from './call.js';
import { relaySession } from './attach-relay.js';
import { archiveRoutes } from './archive-routes.js';
import { dockerInspect, dockerListEntry } from './container-view.js';
import { createOptionsFromBody } from './create-body.js';
import { ApiError, qBool, qFilters, qInt } from './http.js';
import { route, type Route } from './router.js';
import { resizeSessions } from './sessions.js';
import { frameHeader } from './stream-frames.js';
import { statsBody } from './stats-view.js';
import { attachEnding, waitCondition } from './wait-condition.js';

function container(call: Call): ContainerRecord {
  return resolveContainer(call.ctx, call.params[0]);
}

async function list(call: Call): Promise<void> {
  const { ctx, query } = call;
  // Docker's "status" filter has podman's values; "name" matches a part of the name as docker's
  // does. Several values of one key match any of them, except labels, which must all match.
  const filters = qFilters(query);
  const labels = filters.filter((f) => f.startsWith('label='));
  let recs = await listForPs(ctx, { all: qBool(query, 'all'), filters: filters.filter((f) => !f.startsWith('label=')), pausedAsRunning: true });
  for (const l of labels) {
    const keep = new Set((await listForPs(ctx, { all: true, filters: [l] })).map((r) => r.id));
    recs = recs.filter((r) => keep.has(r.id));
  }
  const limit = qInt(query, 'limit');
  recs = recs.sort((a, b) => Date.parse(b.created) - Date.parse(a.created));
  if (limit !== undefined && limit > 0) recs = recs.slice(0, limit);
  // size=1: each container's sizes, as inspect --size computes them (each walks a tree: only when asked).
  const sizes = qBool(query, 'size') ? new Map<string, number>() : undefined;
  call.json(200, recs.map((r) => dockerListEntry(ctx, r, sizes)));
}

/**
 * Containers created here with StdinOnce (docker run -i): the end of their attached client's input
 * closes their stdin. Kept in memory: the record has no such field (a restarted service forgets,
 * and such a container's stdin then stays open when its client goes).
 */
const stdinOnce = new Set<string>();

async function create(call: Call): Promise<void> {
  const body = await call.body();
  const given = createOptionsFromBody(call.ctx, body, call.query.get('name') ?? undefined);
  const conf = call.service.containersConf;
  // Docker's HostConfig.Init, when sent, is the flag that wins over the file's init.
  const withConf = conf ? applyConfDefaultsWithoutFlags(given, conf, { init: (body.HostConfig as Record<string, unknown> | undefined)?.Init != null }) : given;
  const serviceEnv = call.service.env ?? {};
  const opts = withDefaultUserns({ ...withConf, configEnv: serviceEnv }, serviceEnv, conf);
  const rec = await createContainer(call.ctx, opts);
  if (body.StdinOnce === true) stdinOnce.add(rec.id);
  call.json(201, { Id: rec.id, Warnings: [] });
}

async function inspect(call: Call): Promise<void> {
  const rec = await reconcile(call.ctx, container(call));
  call.json(200, dockerInspect(call.ctx, rec, { size: qBool(call.query, 'size') }));
}

async function start(call: Call): Promise<void> {
  const rec = await reconcile(call.ctx, container(call));
  if (isRunning(rec)) {
    call.empty(304);
    return;
  }
  await startDetached(call.ctx, rec);
  call.empty(204);
}

async function stop(call: Call): Promise<void> {
  const rec = await reconcile(call.ctx, container(call));
  if (!isRunning(rec)) {
    call.empty(304);
    return;
  }
  await stopContainer(call.ctx, rec, qInt(call.query, 't'));
  call.empty(204);
}

async function kill(call: Call): Promise<void> {
  const rec = await reconcile(call.ctx, container(call));
  if (!isRunning(rec)) throw new ApiError(409, `container "${rec.name}" is not running`);
  await killContainer(call.ctx, rec, call.query.get('signal') || 'SIGKILL');
  call.empty(204);
}

async function restart(call: Call): Promise<void> {
  await restartContainer(call.ctx, container(call), qInt(call.query, 't'));
  call.empty(204);
}

async function remove(call: Call): Promise<void> {
  const rec = container(call);
  await removeContainer(call.ctx, rec.id, { force: qBool(call.query, 'force'), volumes: qBool(call.query, 'v') });
  stdinOnce.delete(rec.id);
  call.empty(204);
}

async function wait(call: Call): Promise<void> {
  const { ctx } = call;
  const rec = container(call);
  const condition = call.query.get('condition') || 'not-running';
  if (!['not-running', 'next-exit', 'removed'].includes(condition)) {
    throw new ApiError(400, `invalid condition "${condition}": use not-running, next-exit or removed`);
  }
  // Docker sends the headers at once and the body at the exit: clients wait on the body.
  const out = call.stream('application/json');
  const code = await waitCondition(ctx, rec, condition as 'not-running' | 'next-exit' | 'removed', call.closed());
  if (code === undefined) return; // the client left
  out.end(`${JSON.stringify({ StatusCode: code, Error: null })}\n`);
}

/** tail: a number of lines; "all", a negative number or nothing is everything. */
function tailLines(text: string | null): number {
  if (text === null || text === '' || text === 'all') return -1;
  const n = Number(text);
  if (!Number.isInteger(n)) throw new ApiError(400, `invalid tail "${text}": use a number of lines or "all"`);
  return n < 0 ? -1 : n;
}

async function logs(call: Call): Promise<void> {
  const { ctx, query } = call;
  const rec = container(call);
  const now = new Date();
  const since = query.get('since');
  const until = query.get('until');
  const tailText = query.get('tail');
  const wantOut = qBool(query, 'stdout');
  const wantErr = qBool(query, 'stderr');
  if (!wantOut && !wantErr) throw new ApiError(400, 'you must choose at least one stream: stdout=1 or stderr=1');
  const tty = rec.config.tty;
  const out = call.stream(tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream');
  let gone = false;
  void call.closed().then(() => (gone = true));
  await showLogs(
    ctx,
    [rec],
    {
      follow: qBool(query, 'follow'),
      tail: tailLines(tailText),
      since: since && since !== '0' ? parseTimeFilter(since, now, 'since') : undefined,
      until: until && until !== '0' ? parseTimeFilter(until, now, 'until') : undefined,
      timestamps: qBool(query, 'timestamps'),
      names: false,
    },
    {
      write: (stream, data) =>
        new Promise<void>((resolve, reject) => {
          if (gone) {
            reject(new ApiError(499, 'client closed the connection'));
            return;
          }
          if ((stream === 'stdout' && !wantOut) || (stream === 'stderr' && !wantErr)) {
            resolve();
            return;
          }
          const chunk = tty ? data : Buffer.concat([frameHeader(stream === 'stdout' ? 1 : 2, data.length), data]);
          if (out.write(chunk)) resolve();
          else out.once('drain', () => resolve());
        }),
      warn: (m) => ctx.warn(m),
    },
  ).catch((err: unknown) => {
    if (!gone) throw err;
  });
  out.end();
}

async function attach(call: Call): Promise<void> {
  const { ctx, query } = call;
  let rec = await reconcile(ctx, container(call));
  // Attaching before the start (docker run, start -a): the shim is launched now, holding the
  // container before `runc start`, so the session is in place when the start comes.
  if (isCreated(rec) && !shimAlive(rec)) {
    await launchShim(ctx, rec, false);
    rec = await reconcile(ctx, container(call));
  } else if (isExited(rec)) {
    throw new ApiError(409, `you cannot attach to a stopped container, start it first`);
  } else assertCan(rec, 'attach');
  const keys = query.get('detachKeys');
  const ended = relaySession(ctx, call, rec, {
    tty: rec.config.tty,
    stdin: qBool(query, 'stdin') && rec.config.interactive,
    stdout: qBool(query, 'stdout') || !query.has('stdout'),
    stderr: qBool(query, 'stderr') || !query.has('stderr'),
    detachKeys: parseDetachKeys(keys === null || keys === '' ? DEFAULT_DETACH_KEYS : keys),
    key: rec.id,
    closeStdinAtEnd: stdinOnce.has(rec.id),
  });
  attachEnding(rec.id, ended.then((r) => (r?.kind === 'exit' ? r.exitCode : undefined)));
  await ended;
}

/** Sends a resize to the container's terminal, through this service's session or a short one of its own. */
async function resizeContainer(ctx: Context, rec: ContainerRecord, rows: number, cols: number): Promise<void> {
  if (resizeSessions(rec.id, rows, cols)) return;
  const sock = await connectShim(ctx, rec);
  sock.on('error', () => undefined);
  sock.end(
    Buffer.concat([
      encodeFrame(Frame.Hello, { version: PROTOCOL_VERSION, kind: 'attach', stdin: false, stdout: false, stderr: false }),
      encodeFrame(Frame.Resize, { rows, cols }),
    ]),
  );
  sock.destroySoon();
}

export function sizeQuery(call: Call): { rows: number; cols: number } {
  const rows = qInt(call.query, 'h');
  const cols = qInt(call.query, 'w');
  if (rows === undefined || cols === undefined || rows < 0 || cols < 0 || rows > 65535 || cols > 65535) {
    throw new ApiError(400, 'resize needs h and w: the height and width in characters (0 to 65535)');
  }
  return { rows, cols };
}

async function resize(call: Call): Promise<void> {
  const { rows, cols } = sizeQuery(call);
  const rec = await reconcile(call.ctx, container(call));
  if (!rec.config.tty) throw new ApiError(409, `container "${rec.name}" has no terminal (it was not created with a TTY)`);
  if (isRunning(rec) || (isCreated(rec) && shimAlive(rec))) await resizeContainer(call.ctx, rec, rows, cols);
  call.empty(200);
}

async function top(call: Call): Promise<void> {
  const args = (call.query.get('ps_args') ?? '').split(/\s+/).filter(Boolean);
  const r = await topContainer(call.ctx, container(call), args.length ? parseDescriptors(args) : DEFAULT_DESCRIPTORS);
  call.json(200, { Titles: r.headers, Processes: r.rows });
}

async function stats(call: Call): Promise<void> {
  const rec = await reconcile(call.ctx, container(call));
  const stream = qBool(call.query, 'stream', true) && !qBool(call.query, 'one-shot');
  const out = call.stream('application/json');
  let gone = false;
  void call.closed().then(() => (gone = true));
  let prev: ReturnType<typeof statsBody> | undefined;
  for (;;) {
    const body = statsBody(rec, prev);
    out.write(`${JSON.stringify(body.json)}\n`);
    prev = body;
    if (!stream || gone) break;
    await new Promise((r) => setTimeout(r, 1000));
    if (gone) break;
  }
  out.end();
}

async function prune(call: Call): Promise<void> {
  const { ctx } = call;
  const recs = (await listForPs(ctx, { all: true, filters: qFilters(call.query) })).filter((r) => isExited(r) || (isCreated(r) && !shimAlive(r)));
  const deleted: string[] = [];
  for (const r of recs) {
    if (await removeContainer(ctx, r.id, { force: false }).catch(() => false)) deleted.push(r.id);
  }
  call.json(200, { ContainersDeleted: deleted, SpaceReclaimed: 0 });
}

async function pause(call: Call): Promise<void> {
  await pauseContainer(call.ctx, await reconcile(call.ctx, container(call)));
  call.empty(204);
}

async function unpause(call: Call): Promise<void> {
  await unpauseContainer(call.ctx, await reconcile(call.ctx, container(call)));
  call.empty(204);
}

async function rename(call: Call): Promise<void> {
  const name = call.query.get('name');
  if (!name) throw new ApiError(400, `renaming container "${call.params[0]}" needs the query parameter name=NEWNAME`);
  await renameContainer(call.ctx, call.params[0], name.replace(/^\//, ''));
  call.empty(204);
}

export function containerRoutes(): Route[] {
  return [
    route('GET', '/containers/json', list),
    route('POST', '/containers/create', create),
    route('POST', '/containers/prune', prune),
    route('GET', '/containers/{id}/json', inspect),
    route('POST', '/containers/{id}/start', start),
    route('POST', '/containers/{id}/stop', stop),
    route('POST', '/containers/{id}/kill', kill),
    route('POST', '/containers/{id}/restart', restart),
    route('POST', '/containers/{id}/wait', wait),
    route('POST', '/containers/{id}/attach', attach),
    route('POST', '/containers/{id}/resize', resize),
    route('POST', '/containers/{id}/rename', rename),
    route('POST', '/containers/{id}/pause', pause),
    route('POST', '/containers/{id}/unpause', unpause),
    route('GET', '/containers/{id}/logs', logs),
    route('GET', '/containers/{id}/top', top),
    route('GET', '/containers/{id}/stats', stats),
    route('DELETE', '/containers/{id}', remove),
    ...archiveRoutes(),
  ];
}
