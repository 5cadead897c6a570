import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findCredentials, lookupKeys, normalizeAuthKey, removeCredentials, storeCredentials } from '../../../lib/registry/auth-file.js';
import { isLoopbackHost, registryOptionsFromEnv } from '../../../lib/registry/options.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-auth-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const auth = (u: string, p: string) => ({ auth: Buffer.from(`${u}:${p}`).toString('base64') });
const write = (name: string, auths: Record<string, unknown>) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, JSON.stringify({ auths }));
  return f;
};

describe('auth.json lookup', () => {
  it('normalizes docker\'s keys', () => {
    expect(normalizeAuthKey('https://index.docker.io/v1/')).toBe('docker.io');
    expect(normalizeAuthKey('registry-1.docker.io')).toBe('docker.io');
    expect(normalizeAuthKey('http://Quay.IO/')).toBe('quay.io');
    expect(normalizeAuthKey('127.0.0.1:5000/team/app')).toBe('127.0.0.1:5000/team/app');
    expect(lookupKeys('quay.io/a/b')).toEqual(['quay.io/a/b', 'quay.io/a', 'quay.io']);
  });

  it('takes the most specific key of the first file that has one', () => {
    const first = write('first.json', { 'quay.io': auth('host', 'h'), 'quay.io/team': auth('team', 't') });
    const second = write('second.json', { 'quay.io/team/app': auth('app', 'a') });
    expect(findCredentials([first, second], 'quay.io/team/app')?.credentials).toEqual({ username: 'team', password: 't', identityToken: undefined });
    expect(findCredentials([path.join(dir, 'missing.json'), second], 'quay.io/team/app')?.credentials.username).toBe('app');
    expect(findCredentials([first], 'quay.io/other/app')?.credentials.username).toBe('host');
    expect(findCredentials([first, second], 'ghcr.io/x')).toBeUndefined();
  });

  it('reads docker-style keys and identity tokens, and passwords with colons', () => {
    const f = write('config.json', { 'https://index.docker.io/v1/': { ...auth('u', 'p:a:ss'), identitytoken: 'refresh' } });
    expect(findCredentials([f], 'docker.io/library/busybox')?.credentials).toEqual({ username: 'u', password: 'p:a:ss', identityToken: 'refresh' });
  });

  it('reports a broken file without quoting its content', () => {
    const f = path.join(dir, 'bad.json');
    fs.writeFileSync(f, '{"auths": {"x": {"auth": "c2VjcmV0"}');
    expect(() => findCredentials([f], 'x/y')).toThrow(`invalid credentials file "${f}"`);
    try {
      findCredentials([f], 'x/y');
    } catch (err) {
      expect((err as Error).message).not.toContain('c2VjcmV0');
    }
  });

  it('stores with mode 0600, keeps other settings, and removes entries', () => {
    const f = path.join(dir, 'sub', 'auth.json');
    fs.mkdirSync(path.dirname(f));
    fs.writeFileSync(f, JSON.stringify({ auths: { 'https://quay.io': auth('old', 'o') }, credHelpers: { 'x.io': 'pass' } }));
    storeCredentials(f, 'quay.io', { username: 'new', password: 'n' });
    expect(JSON.parse(fs.readFileSync(f, 'utf8'))).toEqual({ auths: { 'quay.io': auth('new', 'n') }, credHelpers: { 'x.io': 'pass' } });
    expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    expect(removeCredentials(f, 'quay.io')).toBe(true);
    expect(removeCredentials(f, 'quay.io')).toBe(false);
  });
});

describe('registry settings from the environment', () => {
  it('uses ${XDG_RUNTIME_DIR}/containers/auth.json, then the config and docker fallbacks', () => {
    const o = registryOptionsFromEnv({ env: { HOME: '/home/u', XDG_RUNTIME_DIR: '/run/user/1000' }, uid: 1000 });
    expect(o.authFile).toBe('/run/user/1000/containers/auth.json');
    expect(o.authFallbacks).toEqual(['/home/u/.config/containers/auth.json', '/home/u/.docker/config.json']);
    expect(registryOptionsFromEnv({ env: { HOME: '/root' }, uid: 0 }).authFile).toBe('/run/containers/0/auth.json');
    expect(registryOptionsFromEnv({ env: { HOME: '/h', DOCKER_CONFIG: '/d' }, uid: 0 }).authFallbacks[1]).toBe('/d/config.json');
  });

  it('reads only --authfile or REGISTRY_AUTH_FILE when given (the flag first)', () => {
    expect(registryOptionsFromEnv({ env: { HOME: '/h', REGISTRY_AUTH_FILE: '/e.json' }, uid: 0 })).toMatchObject({ authFile: '/e.json', authFallbacks: [] });
    expect(registryOptionsFromEnv({ env: { HOME: '/h', REGISTRY_AUTH_FILE: '/e.json' }, uid: 0, authfile: '/f.json' }).authFile).toBe('/f.json');
  });

  it('lets CONTAINERS_REGISTRIES_CONF replace the registries.conf files', () => {
    expect(registryOptionsFromEnv({ env: { HOME: '/h', CONTAINERS_REGISTRIES_CONF: '/c.conf' }, uid: 0 }).registriesConf).toEqual({ main: ['/c.conf'], dropInDirs: [], override: undefined });
    expect(registryOptionsFromEnv({ env: { HOME: '/h' }, uid: 0 }).registriesConf.main).toEqual(['/h/.config/containers/registries.conf', '/etc/containers/registries.conf']);
  });

  it('allows plain HTTP only to loopback hosts', () => {
    expect(['localhost:5000', '127.0.0.1:5000', '127.1.2.3', '[::1]:5000'].map(isLoopbackHost)).toEqual([true, true, true, true]);
    expect(['10.0.0.1:5000', 'localhost.example.com', 'quay.io', '[::2]:5000'].map(isLoopbackHost)).toEqual([false, false, false, false]);
  });
});
