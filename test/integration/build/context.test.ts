// What COPY and ADD take from the context: .containerignore/.dockerignore with exceptions, globs,
// directories, docker's trailing-slash rules, --chown by name, archives ADD unpacks, URLs ADD
// downloads (from a loopback server), and sources outside the context refused.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { TestEnv } from '../harness.js';
import { inImage, makeContext } from './build-env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

describe('the build context', () => {
  it('leaves out what .dockerignore excludes and keeps its ! exceptions', async () => {
    const dir = makeContext(env, 'ignore', {
      Containerfile: 'FROM busybox\nCOPY . /ctx/\n',
      '.dockerignore': '# build output\nlogs\n!logs/keep.log\n**/*.tmp\nsecret*\n',
      'src/main.c': 'int main;\n',
      'src/deep/x.tmp': 'tmp',
      'a.tmp': 'tmp',
      'logs/drop.log': 'no',
      'logs/keep.log': 'yes',
      'secret.key': 'k',
    });
    await env.ok(['build', '-t', 'ign', dir]);
    const files = await inImage(env, 'ign', 'cd /ctx && find . | sort');
    expect(files.split('\n')).toEqual(['.', './.dockerignore', './Containerfile', './logs', './logs/keep.log', './src', './src/deep', './src/main.c']);
  });

  it('prefers .containerignore to .dockerignore, and says an ignored source is excluded', async () => {
    const dir = makeContext(env, 'cignore', { Containerfile: 'FROM busybox\nCOPY a b /x/\n', '.containerignore': 'a\n', '.dockerignore': 'b\n', a: 'a', b: 'b' });
    const r = await env.pman(['build', dir]);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain('Error: building at STEP "COPY a b /x/": COPY source "a" is excluded by the ignore file of the build context');
  });

  it('follows the rules for globs, directories and trailing slashes', async () => {
    const dir = makeContext(env, 'rules', {
      Containerfile: [
        'FROM busybox',
        'COPY *.txt /globbed/',
        'COPY one.txt /renamed',
        'COPY dir /dircontents',
        'COPY dir/ /dircontents2/',
        'WORKDIR /w',
        'COPY one.txt rel/',
        'COPY one.txt /etc',
      ].join('\n'),
      'one.txt': '1',
      'two.txt': '2',
      'dir/inner/f': 'f',
    });
    await env.ok(['build', '-t', 'rules', dir]);
    const out = await inImage(env, 'rules', 'ls /globbed; cat /renamed; echo; ls /dircontents /dircontents2; cat /w/rel/one.txt /etc/one.txt');
    expect(out).toBe('one.txt\ntwo.txt\n1\n/dircontents:\ninner\n\n/dircontents2:\ninner\n11');
  });

  it('wants a directory destination ending in / for several sources', async () => {
    const dir = makeContext(env, 'multi-src', { Containerfile: 'FROM busybox\nCOPY a b /notadir\n', a: 'a', b: 'b' });
    const r = await env.pman(['build', dir]);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain('COPY with more than one source needs a directory destination ending in "/", not "/notadir"');
  });

  it('chowns to a user and group named in the image, and files are root-owned otherwise', async () => {
    const dir = makeContext(env, 'chown', { Containerfile: 'FROM busybox\nCOPY --chown=nobody:nogroup d /owned\nCOPY f /plain\n', 'd/f': 'x', f: 'y' });
    fs.chownSync(path.join(dir, 'f'), 1234, 1234);
    await env.ok(['build', '-t', 'chown', dir]);
    expect(await inImage(env, 'chown', 'stat -c "%U:%G" /owned /owned/f /plain')).toBe('nobody:nogroup\nnobody:nogroup\nroot:root');
  });

  it('refuses a source outside the context or missing', async () => {
    const dir = makeContext(env, 'outside', { Containerfile: 'FROM busybox\nCOPY ../etc/passwd /x\n' });
    let r = await env.pman(['build', dir]);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain('Error: building at STEP "COPY ../etc/passwd /x": COPY source "../etc/passwd" is outside the build context');
    fs.writeFileSync(path.join(dir, 'Containerfile'), 'FROM busybox\nCOPY nothere /x\n');
    r = await env.pman(['build', dir]);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toContain('COPY source "nothere" does not exist in the build context');
  });

  it('unpacks a local tar archive with ADD and copies other files as they are', async () => {
    const dir = makeContext(env, 'add', { Containerfile: 'FROM busybox\nADD pkg.tar.gz /opt/\nADD plain.txt /opt/plain.txt\n', 'plain.txt': 'plain\n', 'tree/pkg/bin/tool': '#!/bin/sh\n' });
    fs.chmodSync(path.join(dir, 'tree/pkg/bin/tool'), 0o755);
    execFileSync('tar', ['-czf', path.join(dir, 'pkg.tar.gz'), '-C', path.join(dir, 'tree'), '--owner=42', '--group=43', 'pkg']);
    await env.ok(['build', '-t', 'add', dir]);
    expect(await inImage(env, 'add', 'stat -c "%a %u:%g" /opt/pkg/bin/tool; cat /opt/plain.txt; ls /opt')).toBe('755 42:43\nplain\npkg\nplain.txt');
  });

  it('downloads a URL with ADD', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/files/hello.txt') {
        res.writeHead(200, { 'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT' });
        res.end('downloaded\n');
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const dir = makeContext(env, 'url', { Containerfile: `FROM busybox\nADD http://127.0.0.1:${port}/files/hello.txt /dl/\n` });
      await env.ok(['build', '-t', 'url', dir]);
      expect(await inImage(env, 'url', 'cat /dl/hello.txt; date -u -r /dl/hello.txt +%Y')).toBe('downloaded\n2015');
      fs.writeFileSync(path.join(dir, 'Containerfile'), `FROM busybox\nADD http://127.0.0.1:${port}/missing /dl/\n`);
      const r = await env.pman(['build', dir]);
      expect(r.exitCode).toBe(125);
      expect(r.stderr).toContain(`cannot download "http://127.0.0.1:${port}/missing": the server answered 404`);
    } finally {
      server.close();
    }
  });
});
