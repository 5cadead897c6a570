// The host's side of rootless network tests: its address, a server on it, a TCP client. Traffic
// goes only to this machine (its loopback, its own address, ports the tests publish).
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';

/** The interface of the host's default route, whose name pasta gives the container's. */
export function hostInterface(): string {
  const line = fs.readFileSync('/proc/net/route', 'utf8').split('\n').find((l) => l.split(/\s+/)[1] === '00000000');
  if (!line) throw new Error('this machine has no default route: pasta needs one to copy into the container');
  return line.split(/\s+/)[0];
}

/** The host's own address on that interface. */
export function hostAddress(): string {
  const a = (os.networkInterfaces()[hostInterface()] ?? []).find((i) => i.family === 'IPv4' && !i.internal);
  if (!a) throw new Error(`the host's interface ${hostInterface()} has no IPv4 address`);
  return a.address;
}

/** An HTTP server on this machine that answers every request with one line. */
export async function hostServer(ip: string): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((_req, res) => res.end('from-host\n'));
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, ip, () => resolve()));
  return { server, port: (server.address() as net.AddressInfo).port };
}

export function tcpAsk(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    // The client speaks first, as most protocols do (this pasta relays nothing to a silent client).
    const s = net.connect(port, host, () => s.write('hello\n'));
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('error', reject);
    s.on('close', () => resolve(out.trim()));
  });
}

/** GET http://host:port/ from this machine: the body, trimmed. */
export function httpGet(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host, port, path: '/', timeout: 10_000 }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body.trim()));
        res.on('error', reject);
      })
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error('timed out'));
      })
      .on('error', reject);
  });
}
