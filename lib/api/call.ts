// One API request as the handlers see it, whether it came as a plain HTTP request or as an
// upgrade (`Connection: Upgrade`, `Upgrade: tcp`: Docker's hijacked attach and exec start). The
// handler answers with JSON, a stream, or takes the connection over (hijack); the differences
// between the two transports stay here.
import http from 'node:http';
import type net from 'node:net';
import { PassThrough, Readable, Writable } from 'node:stream';
import type { Context } from '../context.js';
import type { ContainersConf } from '../config/containers-conf.js';
import type { RegistryOptions } from '../registry/options.js';
import { ApiError, readJson, sendEmpty, sendError, sendJson, statusOf, MAX_JSON_BODY } from './http.js';

export interface Hijacked {
  /** What the handler writes goes to the client as is (framed or raw, the handler decides). */
  output: Writable;
  /** The client's input after the request (stdin of attach / exec start); ends at its half-close. */
  input: Readable;
  /** Sends the success header (101 or 200): from here on the connection is the stream. */
  accept(): void;
  accepted: boolean;
  /** Ends the exchange once accepted (an unaccepted one is answered with an error instead). */
  close(): void;
}

/** What the whole service was started with, beyond the context. */
export interface ServiceConfig {
  /** Registry settings for pull and push (from the service's environment, as the CLI reads them). */
  registry: RegistryOptions;
  /** containers.conf, read when the service started (podman's service reads it once too): the defaults of containers it creates. */
  containersConf?: ContainersConf;
  /**
   * The service's environment, where it finds configuration (PODMAN_USERNS, the default of
   * HostConfig.UsernsMode above containersConf's; CONTAINERS_STORAGE_CONF). Containers get none of it.
   */
  env?: NodeJS.ProcessEnv;
}

export class Call {
  readonly query: URLSearchParams;
  private bodyCache?: Promise<Record<string, unknown>>;
  private readonly extraHeaders: Record<string, string> = {};
  /** The bytes after the headers of an upgrade request (its body, then the client's input). */
  private upgradeInput?: PassThrough;

  constructor(
    readonly ctx: Context,
    readonly service: ServiceConfig,
    readonly req: http.IncomingMessage,
    readonly params: string[],
    query: URLSearchParams,
    private readonly res: http.ServerResponse | undefined,
    private readonly socket: net.Socket | undefined,
    head: Buffer | undefined,
  ) {
    this.query = query;
    if (socket) {
      const input = new PassThrough();
      if (head && head.length > 0) input.write(head);
      socket.pipe(input);
      this.upgradeInput = input;
    }
  }

  get upgraded(): boolean {
    return this.socket !== undefined;
  }

  /** The JSON body ({} when empty). */
  body(): Promise<Record<string, unknown>> {
    if (!this.bodyCache) this.bodyCache = this.upgradeInput ? this.readUpgradeBody() : readJson(this.req);
    return this.bodyCache;
  }

  /** A streamed request body (image load, archive put). */
  bodyStream(): Readable {
    return this.upgradeInput ?? this.req;
  }

  /** Extra reply headers, sent with whatever reply follows. */
  headers(h: Record<string, string>): void {
    Object.assign(this.extraHeaders, h);
    if (this.res) for (const [k, v] of Object.entries(h)) this.res.setHeader(k, v);
  }

  json(status: number, body: unknown): void {
    if (this.res) sendJson(this.res, status, body);
    else this.rawReply(status, 'application/json', JSON.stringify(body));
  }

  text(status: number, contentType: string, body: string): void {
    if (this.res) {
      this.res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
      this.res.end(body);
    } else this.rawReply(status, contentType, body);
  }

  empty(status = 204): void {
    if (this.res) sendEmpty(this.res, status);
    else this.rawReply(status, undefined, '');
  }

  error(err: unknown): void {
    if (this.res) sendError(this.res, err);
    else this.rawReply(statusOf(err), 'application/json', JSON.stringify({ message: err instanceof Error ? err.message : String(err) }));
  }

  /** Starts a streamed reply (logs, events, pull progress): chunked, ended by the handler. */
  stream(contentType: string): Writable {
    if (this.res) {
      this.res.writeHead(200, { 'Content-Type': contentType });
      this.res.flushHeaders();
      return this.res;
    }
    const extra = Object.entries(this.extraHeaders).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    this.socket!.write(`HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\n${extra}Connection: close\r\n\r\n`);
    return this.socket!;
  }

  /** Resolves when the client has closed its connection before the reply ended. */
  closed(): Promise<void> {
    const s = this.socket ?? this.req.socket;
    return new Promise((resolve) => {
      if (s.destroyed) resolve();
      else s.once('close', () => resolve());
    });
  }

  /**
   * Gets ready to take the connection over; `accept()` then answers `101 UPGRADED` for an upgrade
   * request (Docker's hijack), else a 200 whose body is the stream (a client that did not ask to
   * upgrade, e.g. dockerode's attach without hijack; its input then is the request body only).
   * Until accept() the handler may still answer with an error.
   */
  async prepareHijack(contentType = 'application/vnd.docker.raw-stream'): Promise<Hijacked> {
    if (this.socket) {
      await this.body(); // the request's own body comes first; what follows is the client's input
      const socket = this.socket;
      // A fresh stream for what follows the body (the body's reader left the other one paused).
      const input = this.upgradeInput!.pipe(new PassThrough());
      const h: Hijacked = {
        output: socket,
        input,
        accepted: false,
        accept: () => {
          if (h.accepted) return;
          h.accepted = true;
          socket.setNoDelay(true);
          socket.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`);
        },
        close: () => (h.accepted ? socket.end() : undefined),
      };
      return h;
    }
    const res = this.res!;
    const input = new PassThrough();
    input.end();
    const h: Hijacked = {
      output: res,
      input,
      accepted: false,
      accept: () => {
        if (h.accepted) return;
        h.accepted = true;
        res.writeHead(200, { 'Content-Type': contentType });
        res.flushHeaders();
      },
      close: () => (h.accepted ? res.end() : undefined),
    };
    return h;
  }

  private rawReply(status: number, contentType: string | undefined, body: string): void {
    const socket = this.socket!;
    const head = [`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}`, `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
    if (contentType) head.push(`Content-Type: ${contentType}`);
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  }

  private readUpgradeBody(): Promise<Record<string, unknown>> {
    const length = Number(this.req.headers['content-length'] ?? 0);
    if (!Number.isInteger(length) || length < 0) return Promise.reject(new ApiError(400, 'invalid Content-Length'));
    if (length > MAX_JSON_BODY) return Promise.reject(new ApiError(413, `request body of ${length} bytes is larger than the ${MAX_JSON_BODY} bytes allowed`));
    if (length === 0) return Promise.resolve({});
    const input = this.upgradeInput!;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let have = 0;
      const onData = (c: Buffer) => {
        const need = length - have;
        const rest = c.length > need ? c.subarray(need) : undefined;
        chunks.push(rest ? c.subarray(0, need) : c);
        have += Math.min(c.length, need);
        if (have === length) {
          input.off('data', onData);
          input.off('end', onEnd);
          input.pause();
          if (rest) input.unshift(rest);
          try {
            const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
            if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('expected a JSON object');
            resolve(v as Record<string, unknown>);
          } catch (err) {
            reject(new ApiError(400, `invalid JSON in request body: ${(err as Error).message}`));
          }
        }
      };
      const onEnd = () => reject(new ApiError(400, 'request body cut short'));
      input.on('data', onData);
      input.once('end', onEnd);
    });
  }
}
