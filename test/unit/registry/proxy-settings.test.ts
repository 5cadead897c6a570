import { bypassesProxy, proxyFor, proxySettingsFromEnv } from '../../../lib/registry/proxy-settings.js';

describe('proxy settings from the environment', () => {
  it('upper case wins over lower case; no scheme means http://; none set means no proxy', () => {
    const s = proxySettingsFromEnv({ HTTP_PROXY: 'http://up:1', http_proxy: 'http://low:2', https_proxy: 'p.example:3128', no_proxy: 'a' });
    expect(s?.http?.href).toBe('http://up:1/');
    expect(s?.https?.href).toBe('http://p.example:3128/');
    expect(s?.noProxy).toBe('a');
    expect(proxySettingsFromEnv({ NO_PROXY: '*' })).toBeUndefined();
  });

  it('a proxy pman cannot speak to is an error naming the variable', () => {
    expect(() => proxySettingsFromEnv({ HTTPS_PROXY: 'socks5://127.0.0.1:1080' })).toThrow('invalid HTTPS_PROXY "socks5://127.0.0.1:1080": only http:// proxies are supported');
    expect(() => proxySettingsFromEnv({ http_proxy: 'http://[bad' })).toThrow('invalid http_proxy "http://[bad": use http://HOST:PORT');
  });
});

describe('NO_PROXY', () => {
  it.each([
    ['reg.example.com', '443', 'example.com', true],
    ['example.com', '443', 'example.com', true],
    ['notexample.com', '443', 'example.com', false],
    ['reg.example.com', '443', '.example.com', true],
    ['example.com', '443', '.example.com', false],
    ['example.com', '443', '*.example.com', false],
    ['a.example.com', '443', '*.example.com', true],
    ['reg.example.com', '5000', 'reg.example.com:5000', true],
    ['reg.example.com', '443', 'reg.example.com:5000', false],
    ['10.1.2.3', '443', '10.0.0.0/8', true],
    ['11.1.2.3', '443', '10.0.0.0/8', false],
    ['fd00::5', '443', 'fd00::/64', true],
    ['10.1.2.3', '443', '10.1.2.3', true],
    ['10.1.2.3', '5000', '10.1.2.3:5000', true],
    ['anything', '443', ' other , * ', true],
    ['REG.Example.COM', '443', 'reg.example.com', true],
    ['host', '443', '', false],
  ])('%s:%s with NO_PROXY=%j bypasses: %s', (host, port, noProxy, expected) => {
    expect(bypassesProxy(host, port, noProxy)).toBe(expected);
  });

  it('localhost and loopback addresses never go through a proxy (as in podman)', () => {
    for (const h of ['localhost', '127.0.0.1', '127.5.0.1', '[::1]']) expect(bypassesProxy(h, '5000', '')).toBe(true);
  });

  it('http and https URLs take their own proxy', () => {
    const s = proxySettingsFromEnv({ HTTP_PROXY: 'http://h:1', NO_PROXY: 'skip.example' })!;
    expect(proxyFor(s, new URL('http://reg.example/v2/'))?.host).toBe('h:1');
    expect(proxyFor(s, new URL('https://reg.example/v2/'))).toBeUndefined();
    expect(proxyFor(s, new URL('http://skip.example/v2/'))).toBeUndefined();
  });
});
