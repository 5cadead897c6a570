// Routing the events of an attach connection. What a client is for is settled once, when it says
// Hello: joined to the container's stdio (lib/shim/attach-session.ts) or running an exec session
// (lib/shim/exec-manager.ts). Every later frame of that client goes to the session chosen then.
import type { AttachHandlers, Client } from './attach-server.js';
import { InvalidStateError } from '../errors.js';
import type { ExecManager } from './exec-manager.js';
import { Frame, PROTOCOL_VERSION, type HealthExitMsg, type HelloMsg, type ResizeMsg, type WelcomeMsg } from './protocol.js';
import type { ShimParts } from './shim-parts.js';
import type { Log } from './shim-log.js';

/** One client's session: what its frames do. */
export interface Session {
  welcome(): WelcomeMsg | Promise<WelcomeMsg>;
  stdin(data: Buffer): void;
  stdinClose(): void;
  resize(size: ResizeMsg): void;
  start(): void;
  signal(sig: string): void;
  detach(): void;
  close(): void;
}

export interface SessionKinds {
  attach(client: Client, hello: HelloMsg): Session;
  exec(client: Client, hello: HelloMsg): Session;
  healthcheck(client: Client): Session;
}

/** The attach server's handlers: each client's events to the session its Hello chose. */
export function sessionRouter(kinds: SessionKinds, log: Log): AttachHandlers {
  const sessions = new WeakMap<Client, Session>();
  // Chosen from the Hello as soon as the server has decoded it: frames sent right behind it (a
  // foreground run's Start) are handled before the server's onHello, which it calls a tick later.
  const of = (c: Client): Session | undefined => {
    let session = sessions.get(c);
    if (!session && c.hello) {
      const kind = c.hello.kind;
      session = kind === 'exec' ? kinds.exec(c, c.hello) : kind === 'healthcheck' ? kinds.healthcheck(c) : kinds.attach(c, c.hello);
      sessions.set(c, session);
    }
    return session;
  };
  return {
    onHello: (c) => of(c)!.welcome(),
    onStdin: (c, data) => of(c)?.stdin(data),
    onStdinClose: (c) => of(c)?.stdinClose(),
    onResize: (c, size) => of(c)?.resize(size),
    onStart: (c) => of(c)?.start(),
    onSignal: (c, msg) => of(c)?.signal(msg.signal),
    onDetach: (c) => of(c)?.detach(),
    onClose: (c) => of(c)?.close(),
    log,
  };
}

/** An exec session as the router sees it: the exec manager's, for this client. */
export function execSession(exec: ExecManager, c: Client, hello: HelloMsg): Session {
  return {
    welcome: () => exec.open(c, hello),
    stdin: (data) => exec.stdin(c, data),
    stdinClose: () => exec.stdinClose(c),
    resize: (size) => exec.resize(c, size),
    // The process runs as soon as it is opened.
    start: () => undefined,
    signal: (sig) => exec.signal(c, sig),
    detach: () => exec.detach(c),
    close: () => exec.clientGone(c),
  };
}

/**
 * `pman healthcheck run`: one probe now through the container's health monitor (so its result is
 * recorded like a scheduled one), answered with Exit: 0 when the probe passed, else 1.
 */
export function healthSession(s: Pick<ShimParts, 'rec' | 'health' | 'healthReady'>, c: Client): Session {
  const idle = () => undefined;
  return {
    welcome: async () => {
      if (!s.rec.config.healthcheck) throw new InvalidStateError(`container "${s.rec.name}" has no defined healthcheck`);
      await s.healthReady;
      if (!s.health) throw new InvalidStateError(`cannot run the health check of container "${s.rec.name}": it is not running`);
      const { result, health } = await s.health.runNow();
      const exit: HealthExitMsg = { exitCode: result.ExitCode === 0 ? 0 : 1, status: health.Status, output: result.Output };
      setImmediate(() => {
        c.send(Frame.Exit, exit);
        c.socket.end();
      });
      return { version: PROTOCOL_VERSION, tty: false, interactive: false, status: 'running' };
    },
    stdin: idle,
    stdinClose: idle,
    resize: idle,
    start: idle,
    signal: idle,
    detach: idle,
    close: idle,
  };
}
