import { DetachScanner, parseDetachKeys } from '../../../../lib/container/parse/detach-keys.js';

describe('detach keys', () => {
  it('parses the default ctrl-p,ctrl-q sequence', () => {
    expect([...parseDetachKeys('ctrl-p,ctrl-q')!]).toEqual([0x10, 0x11]);
  });

  it('parses single characters, DEL and the punctuation controls', () => {
    expect([...parseDetachKeys('ctrl-a,x,DEL,ctrl-[,ctrl-@,ctrl-_')!]).toEqual([1, 0x78, 0x7f, 0x1b, 0, 0x1f]);
  });

  it('treats an empty string as detaching disabled', () => {
    expect(parseDetachKeys('')).toBeNull();
  });

  it('rejects an unknown key name with a message naming it', () => {
    expect(() => parseDetachKeys('ctrl-p,bogus')).toThrow(/invalid detach key "bogus"/);
  });

  it('detaches when the whole sequence arrives, across chunks', () => {
    const s = new DetachScanner(parseDetachKeys('ctrl-p,ctrl-q'));
    expect(s.feed(Buffer.from('ab\x10'))).toEqual({ forward: Buffer.from('ab'), detach: false });
    expect(s.feed(Buffer.from('\x11zz'))).toEqual({ forward: Buffer.alloc(0), detach: true });
  });

  it('forwards a lone ctrl-p together with the key that follows it', () => {
    const s = new DetachScanner(parseDetachKeys('ctrl-p,ctrl-q'));
    expect(s.feed(Buffer.from('\x10')).forward.length).toBe(0);
    expect(s.feed(Buffer.from('x'))).toEqual({ forward: Buffer.from('\x10x'), detach: false });
  });

  it('restarts matching on a repeated first key', () => {
    const s = new DetachScanner(parseDetachKeys('ctrl-p,ctrl-q'));
    const r = s.feed(Buffer.from('\x10\x10\x11'));
    expect(r).toEqual({ forward: Buffer.from('\x10'), detach: true });
  });

  it('releases held bytes at end of input', () => {
    const s = new DetachScanner(parseDetachKeys('ctrl-p,ctrl-q'));
    s.feed(Buffer.from('\x10'));
    expect([...s.flush()]).toEqual([0x10]);
  });

  it('passes everything through when disabled', () => {
    const s = new DetachScanner(null);
    expect(s.feed(Buffer.from('\x10\x11'))).toEqual({ forward: Buffer.from('\x10\x11'), detach: false });
  });
});
