// `pman system service` itself: the socket, versions and errors, hostile and vanishing clients,
// server-side detach keys, kill -9, the idle timeout and socket activation.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PMAN_BIN, sleep, until } from '../harness.js';
import { ApiService, useApiService } from './api-service.js';

const s = useApiService();

/** Sends raw bytes on a new connection and collects everything until the server closes it. */
function raw(socket: string, text: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(socket);
    let out = '';
    c.on('data', (d: Buffer) => (out += d.toString('latin1')));
    c.on('close', () => resolve(out));
    c.on('error', reject);
    c.write(text);
  });
}

function get(socket: string, p: string, extra = ''): Promise<string> {
  return raw(socket, `GET ${p} HTTP/1.1\r\nHost: pman\r\nConnection: close\r\n${extra}\r\n`);
}

/** A hijacked attach on a raw connection: resolves once the 101 is in, with the connection. */
function hijack(socket: string, p: string): Promise<{ conn: net.Socket; after: () => Buffer; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const conn = net.connect(socket);
    let buf = Buffer.alloc(0);
    const closed = new Promise<void>((r) => conn.once('close', () => r()));
    let headerEnd = -1;
    conn.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (headerEnd < 0) {
        headerEnd = buf.indexOf('\r\n\r\n');
        if (headerEnd >= 0) {
          const head = buf.subarray(0, headerEnd).toString();
          if (!head.startsWith('HTTP/1.1 101')) reject(new Error(`no upgrade: ${head}`));
          else resolve({ conn, after: () => buf.subarray(headerEnd + 4), closed });
        }
      }
    });
    conn.on('error', reject);
    conn.write(`POST ${p} HTTP/1.1\r\nHost: pman\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n`);
  });
}

describe('pman system service', () => {
  it('listens on an owner-only socket', () => {
    const st = fs.statSync(s.svc.socket);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
    expect(st.uid).toBe(process.getuid!());
  });

  it('refuses a bad --time or a socket address that is not an absolute unix path, in one line', async () => {
    const time = await s.env.pman(['system', 'service', '--time', 'soon']);
    expect(time).toMatchObject({ exitCode: 125, stderr: 'Error: invalid --time "soon": use a whole number of seconds (0: never exit)' });
    const addr = await s.env.pman(['system', 'service', 'tcp://127.0.0.1:2375']);
    expect(addr).toMatchObject({ exitCode: 125, stderr: 'Error: invalid service address "tcp://127.0.0.1:2375": use unix:///absolute/path.sock (only unix sockets are served)' });
  });

  it('answers with and without a version prefix, refuses too old a version, and 404s unknown endpoints', async () => {
    const ping = await get(s.svc.socket, '/_ping');
    expect(ping).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(ping).toMatch(/\r\nApi-Version: 1\.41\r\n/i);
    expect(ping.endsWith('\r\n\r\nOK')).toBe(true);
    expect(await get(s.svc.socket, '/v1.41/version')).toMatch(/"ApiVersion":"1\.41"/);
    const old = await get(s.svc.socket, '/v1.12/version');
    expect(old).toMatch(/^HTTP\/1\.1 400 /);
    expect(old).toContain('{"message":"client version 1.12 is too old: the minimum supported API version is 1.24"}');
    const unknown = await get(s.svc.socket, '/v1.41/no/such/thing');
    expect(unknown).toMatch(/^HTTP\/1\.1 404 /);
    expect(unknown).toContain('{"message":"page not found: GET /v1.41/no/such/thing"}');
    const wrongMethod = await get(s.svc.socket, '/containers/create');
    expect(wrongMethod).toMatch(/^HTTP\/1\.1 405 /);
  });

  it('drops malformed requests and refuses oversized bodies without disturbing other clients', async () => {
    const garbage = await raw(s.svc.socket, 'this is not http\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    const big = 5 * 1024 * 1024;
    const oversized = await raw(
      s.svc.socket,
      `POST /containers/create HTTP/1.1\r\nHost: pman\r\nContent-Type: application/json\r\nContent-Length: ${big}\r\nConnection: close\r\n\r\n{"Image":"`,
    );
    expect(oversized).toMatch(/^HTTP\/1\.1 413 /);
    const badJson = await raw(s.svc.socket, 'POST /containers/create HTTP/1.1\r\nHost: pman\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{nope');
    expect(badJson).toMatch(/^HTTP\/1\.1 400 /);
    expect(badJson).toContain('invalid JSON in request body');
    expect(await s.svc.ok(['ps', '-a', '--format', '{{.Names}}'])).toBe('');
  });

  it('a client vanishing mid-stream leaves the container, the log and the service as they were', async () => {
    const id = await s.svc.ok(['run', '-d', 'busybox', 'sh', '-c', 'i=0; while :; do i=$((i+1)); echo line$i; sleep 0.05; done']);
    try {
      const a = await hijack(s.svc.socket, `/v1.41/containers/${id}/attach?stream=1&stdout=1&stderr=1`);
      await until(() => a.after().includes('line'));
      // Multiplexed: stream 1 (stdout), three zero bytes, the length.
      expect([...a.after().subarray(0, 4)]).toEqual([1, 0, 0, 0]);
      a.conn.destroy();
      const logs = net.connect(s.svc.socket);
      logs.write(`GET /containers/${id}/logs?follow=1&stdout=1 HTTP/1.1\r\nHost: pman\r\n\r\n`);
      await new Promise((r) => logs.once('data', r));
      logs.destroy();
      const before = Number(/line(\d+)\s*$/.exec(await s.svc.ok(['logs', id]))![1]);
      expect(await until(async () => Number(/line(\d+)\s*$/.exec(await s.svc.ok(['logs', id]))![1]) > before + 5)).toBe(true);
      expect(await s.env.ok(['inspect', '--format', '{{.State.Status}}', id])).toBe('running');
    } finally {
      await s.svc.docker(['rm', '-f', id]);
    }
  });

  it('detach keys in the input end the session on the server side and the container runs on', async () => {
    // (As in docker and podman, detach keys apply to a container with a terminal.)
    const id = await s.svc.ok(['run', '-dit', 'busybox', 'sh', '-c', 'while read l; do echo "got $l"; done']);
    try {
      const a = await hijack(s.svc.socket, `/containers/${id}/attach?stream=1&stdin=1&stdout=1&detachKeys=ctrl-a`);
      a.conn.write('one\n');
      await until(() => a.after().includes('got one'));
      a.conn.write('\x01');
      await a.closed;
      expect(await s.env.ok(['inspect', '--format', '{{.State.Status}}', id])).toBe('running');
    } finally {
      await s.svc.docker(['rm', '-f', id]);
    }
  });

  it('kill -9 of the service loses nothing: the next service sees and stops the container', async () => {
    const socket = path.join(s.env.dir, 'killed.sock');
    const first = await ApiService.start(s.env, { socket });
    const id = await first.ok(['run', '-d', '--name', 'survivor', 'busybox', 'sleep', '300']);
    try {
      first.proc.kill('SIGKILL');
      await first.exited;
      expect(await s.env.ok(['inspect', '--format', '{{.State.Status}}', 'survivor'])).toBe('running');
      const second = await ApiService.start(s.env, { socket });
      try {
        expect(await second.ok(['ps', '--no-trunc', '--filter', 'name=survivor', '--format', '{{.ID}}'])).toBe(id);
        await second.ok(['stop', '-t', '0', 'survivor']);
        expect(await s.env.ok(['inspect', '--format', '{{.State.Status}}', 'survivor'])).toBe('exited');
      } finally {
        await second.stop();
      }
    } finally {
      await s.env.pman(['rm', '-f', 'survivor']);
    }
  });

  it('exits after --time seconds idle, but not while a hijacked stream is open', async () => {
    const socket = path.join(s.env.dir, 'idle.sock');
    const svc = await ApiService.start(s.env, { socket, time: 1 });
    const id = await svc.ok(['run', '-d', 'busybox', 'sh', '-c', 'while :; do echo tick; sleep 0.2; done']);
    try {
      const a = await hijack(socket, `/containers/${id}/attach?stream=1&stdout=1`);
      // Three idle periods with only the stream open: the service must still be there, streaming.
      await sleep(3000);
      expect(svc.proc.exitCode).toBeNull();
      const seen = a.after().length;
      await until(() => a.after().length > seen);
      // The client goes: the next output finds it gone, the session ends, the service goes idle.
      a.conn.destroy();
      const r = await svc.exited;
      expect(r.exitCode).toBe(0);
      expect(fs.existsSync(socket)).toBe(false);
      expect(await s.env.ok(['inspect', '--format', '{{.State.Status}}', id])).toBe('running');
    } finally {
      await svc.stop();
      await s.env.pman(['rm', '-f', id]);
    }
  });

  it('serves a socket handed over by socket activation (LISTEN_FDS) as it is', async () => {
    const socket = path.join(s.env.dir, 'activated.sock');
    // As systemd does: bind and listen, then start the service with the socket as fd 3.
    const wrapper = [
      'import os, socket, sys',
      's = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)',
      `s.bind(${JSON.stringify(socket)})`,
      's.listen(16)',
      'os.dup2(s.fileno(), 3)',
      'os.set_inheritable(3, True)',
      'os.environ["LISTEN_FDS"] = "1"',
      'os.environ["LISTEN_PID"] = str(os.getpid())',
      'os.execv(sys.argv[1], sys.argv[1:])',
    ].join('\n');
    const proc = spawn('python3', ['-c', wrapper, PMAN_BIN, ...s.env.args(['system', 'service', '--time', '0'])], { stdio: 'ignore' });
    const closed = new Promise((r) => proc.once('close', r));
    try {
      const up = await until(() => fs.existsSync(socket) && get(socket, '/_ping').then((r) => r.endsWith('OK'), () => false), 60_000, 100);
      expect(up).toBe(true);
      // The socket is used as it is: the default path was not created.
      expect(fs.existsSync(path.join(s.env.runroot, 'pman.sock'))).toBe(false);
      expect(await get(socket, '/v1.41/version')).toMatch(/"ApiVersion":"1\.41"/);
    } finally {
      proc.kill('SIGTERM');
      await closed;
    }
  });
});
