// Transparent decompression of layer and rootfs archives, chosen by magic bytes (never by file
// name or media type, which lie). gzip uses zlib; Node 20's zlib has no zstd, so zstd (and the
// rarer bzip2 and xz) go through the Debian command-line tools, with a clear error when missing.
import { spawn } from 'node:child_process';
import { Readable, pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { InvalidArgumentError, PmanError } from '../errors.js';

export type Compression = 'none' | 'gzip' | 'zstd' | 'bzip2' | 'xz';

const MAGICS: Array<[Compression, number[]]> = [
  ['gzip', [0x1f, 0x8b]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
];

const TOOLS: Record<'zstd' | 'bzip2' | 'xz', { cmd: string; pkg: string }> = {
  zstd: { cmd: 'zstd', pkg: 'zstd' },
  bzip2: { cmd: 'bzip2', pkg: 'bzip2' },
  xz: { cmd: 'xz', pkg: 'xz-utils' },
};

export function detectCompression(head: Buffer): Compression {
  for (const [kind, magic] of MAGICS) {
    if (head.length >= magic.length && magic.every((b, i) => head[i] === b)) return kind;
  }
  return 'none';
}

function toBuffer(c: Uint8Array | string): Buffer {
  return typeof c === 'string' ? Buffer.from(c) : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
}

export interface DecompressOptions {
  /** Environment for the decompressor commands (their PATH). Default: this process's. */
  env?: NodeJS.ProcessEnv;
}

/** Decompresses `input` if it is compressed; passes it through unchanged otherwise. */
export async function* decompress(input: AsyncIterable<Uint8Array | string>, opts: DecompressOptions = {}): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headLen = 0;
  let ended = false;
  while (headLen < 6) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    const b = toBuffer(r.value);
    head.push(b);
    headLen += b.length;
  }
  async function* whole(): AsyncGenerator<Buffer> {
    yield* head;
    if (ended) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield toBuffer(r.value);
  }
  const kind = detectCompression(Buffer.concat(head));
  if (kind === 'none') yield* whole();
  else if (kind === 'gzip') yield* gunzip(whole());
  else yield* filter(kind, whole(), opts.env);
}

async function* gunzip(src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const readable = Readable.from(src);
  const z = zlib.createGunzip();
  pipeline(readable, z, () => undefined);
  try {
    for await (const c of z) yield c as Buffer;
  } catch (err) {
    if (err instanceof PmanError) throw err;
    throw new InvalidArgumentError(`invalid gzip data: ${(err as Error).message}`, { cause: err });
  } finally {
    readable.destroy();
    z.destroy();
  }
}

/** Runs a decompressor command as a stream filter. */
async function* filter(kind: 'zstd' | 'bzip2' | 'xz', src: AsyncIterable<Buffer>, env: NodeJS.ProcessEnv | undefined): AsyncGenerator<Buffer> {
  const tool = TOOLS[kind];
  const child = spawn(tool.cmd, ['-d', '-c', '-q'], { stdio: ['pipe', 'pipe', 'pipe'], env });
  let spawnError: NodeJS.ErrnoException | undefined;
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (err) => {
      spawnError = err;
      resolve(null);
    });
    child.on('close', (code) => resolve(code));
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 4096) stderr += d;
  });
  let feedError: Error | undefined;
  const feeder = Readable.from(src);
  pipeline(feeder, child.stdin, (err) => {
    // EPIPE just means the tool stopped reading (it reports its own error); anything else is ours.
    if (err && (err as NodeJS.ErrnoException).code !== 'EPIPE') feedError = err;
  });
  let complete = false;
  try {
    for await (const c of child.stdout) yield c as Buffer;
    const code = await exited;
    if (spawnError) {
      const missing = spawnError.code === 'ENOENT';
      throw new PmanError(
        'system',
        missing
          ? `cannot decompress ${kind} data: the "${tool.cmd}" command is not installed (install the Debian package "${tool.pkg}")`
          : `cannot decompress ${kind} data: cannot run "${tool.cmd}": ${spawnError.message}`,
        { cause: spawnError },
      );
    }
    if (feedError instanceof PmanError) throw feedError;
    if (feedError) throw new PmanError('system', `cannot decompress ${kind} data: ${feedError.message}`, { cause: feedError });
    if (code !== 0) {
      const why = stderr.trim().split('\n').pop() || `${tool.cmd} exited with status ${code}`;
      throw new InvalidArgumentError(`invalid ${kind} data: ${why}`);
    }
    complete = true;
  } finally {
    if (!complete) {
      feeder.destroy();
      child.kill('SIGKILL');
    }
  }
}
