import { encodeFrame, Frame, FrameDecoder, MAX_FRAME, parseJson, ProtocolError } from '../../../lib/shim/protocol.js';

describe('shim protocol frames', () => {
  it('round-trips data and JSON frames split at every byte boundary', () => {
    const frames = Buffer.concat([
      encodeFrame(Frame.Hello, { version: 1, kind: 'attach', stdin: true, stdout: true, stderr: true }),
      encodeFrame(Frame.Stdin, Buffer.from([0, 1, 2, 255, 10])),
      encodeFrame(Frame.StdinClose),
    ]);
    for (let cut = 0; cut <= frames.length; cut++) {
      const d = new FrameDecoder('client');
      const got = [...d.push(frames.subarray(0, cut)), ...d.push(frames.subarray(cut))];
      expect(got.map((f) => f.type)).toEqual([Frame.Hello, Frame.Stdin, Frame.StdinClose]);
      expect(parseJson<{ kind: string }>(got[0].payload, 'Hello').kind).toBe('attach');
      expect([...got[1].payload]).toEqual([0, 1, 2, 255, 10]);
      expect(got[2].payload.length).toBe(0);
      expect(d.pending).toBe(0);
    }
  });

  it('rejects a frame type that the peer may not send', () => {
    const d = new FrameDecoder('client');
    expect(() => d.push(encodeFrame(Frame.Stdout, Buffer.from('x')))).toThrow(ProtocolError);
  });

  it('rejects a frame longer than the limit before buffering it', () => {
    const head = Buffer.alloc(5);
    head.writeUInt8(Frame.Stdin, 0);
    head.writeUInt32BE(MAX_FRAME + 1, 1);
    expect(() => new FrameDecoder('client').push(head)).toThrow(/exceeds/);
  });

  it('reports a truncated frame as pending bytes', () => {
    const d = new FrameDecoder('shim');
    const f = encodeFrame(Frame.Stdout, Buffer.from('hello'));
    expect(d.push(f.subarray(0, 7))).toEqual([]);
    expect(d.pending).toBe(7);
  });

  it('treats malformed JSON in a control frame as a protocol error', () => {
    expect(() => parseJson(Buffer.from('{nope'), 'Resize')).toThrow(/malformed Resize frame/);
    expect(() => parseJson(Buffer.from('42'), 'Resize')).toThrow(ProtocolError);
  });
});
