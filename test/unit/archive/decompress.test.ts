import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { decompress, detectCompression } from '../../../lib/archive/decompress.js';
import { bytes, chunks, TempDirs } from './fixtures.js';

const temp = new TempDirs();
afterEach(() => temp.cleanup());

async function collect(input: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of input) parts.push(c);
  return Buffer.concat(parts);
}

function sample(): { dir: string; file: string; data: Buffer } {
  const dir = temp.make();
  const data = Buffer.from('pman '.repeat(50_000));
  const file = path.join(dir, 'data');
  fs.writeFileSync(file, data);
  return { dir, file, data };
}

describe('decompression', () => {
  it('detects formats by their magic bytes', () => {
    expect(detectCompression(Buffer.from([0x1f, 0x8b, 8]))).toBe('gzip');
    expect(detectCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))).toBe('zstd');
    expect(detectCompression(Buffer.from('BZh9'))).toBe('bzip2');
    expect(detectCompression(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0]))).toBe('xz');
    expect(detectCompression(Buffer.from('ustar'))).toBe('none');
  });

  it('passes uncompressed data through unchanged, however it is chunked', async () => {
    const { file, data } = sample();
    expect((await collect(decompress(chunks(file, 3)))).equals(data)).toBe(true);
  });

  it('gunzips gzip data', async () => {
    const { file, data } = sample();
    execFileSync('gzip', ['-k', file]);
    expect((await collect(decompress(chunks(`${file}.gz`, 1000)))).equals(data)).toBe(true);
  });

  it('decompresses zstd data with the zstd command', async () => {
    const { file, data } = sample();
    execFileSync('zstd', ['-q', file, '-o', `${file}.zst`]);
    expect((await collect(decompress(chunks(`${file}.zst`)))).equals(data)).toBe(true);
  });

  it('reports corrupt gzip data as invalid', async () => {
    const bad = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), Buffer.from('garbage garbage')]);
    await expect(collect(decompress(bytes(bad)))).rejects.toThrow(/^invalid gzip data: /);
  });

  it('reports corrupt zstd data with the tool\'s reason', async () => {
    const bad = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.from('not really zstd at all')]);
    await expect(collect(decompress(bytes(bad)))).rejects.toThrow(/^invalid zstd data: /);
  });

  it('says which package to install when the zstd command is missing', async () => {
    const zst = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0]);
    await expect(collect(decompress(bytes(zst), { env: { PATH: '/nonexistent' } }))).rejects.toThrow(
      'cannot decompress zstd data: the "zstd" command is not installed (install the Debian package "zstd")',
    );
  });
});
