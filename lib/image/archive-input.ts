// Where `pman load` reads an archive from: the file itself when it is a plain tar (read in place),
// otherwise a plain copy in the store's temp area (standard input cannot be read twice, and a
// compressed archive, `docker save | gzip`, cannot be read at random). A directory (an OCI layout,
// a dir: image, an unpacked docker-archive) is packed into such a copy, so it is read and checked
// exactly as an archive is.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError, systemError } from '../errors.js';
import { decompress, detectCompression } from '../archive/decompress.js';
import { removeTree } from './layers.js';
import { tmpDir } from './layout.js';

export interface ArchiveInput {
  /** A plain (uncompressed) tar file. */
  file: string;
  /** How the user named the input in messages: "FILE" or standard input. */
  shown: string;
  /** Removes the temporary copy, if one was made. */
  cleanup(): void;
}

function head(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(6);
    return buf.subarray(0, fs.readSync(fd, buf, 0, 6, 0));
  } finally {
    fs.closeSync(fd);
  }
}

async function spool(ctx: Context, input: AsyncIterable<Uint8Array | string>, shown: string): Promise<ArchiveInput> {
  const dir = fs.mkdtempSync(path.join(tmpDir(ctx), 'load-'));
  const file = path.join(dir, 'archive.tar');
  const cleanup = () => removeTree(dir);
  try {
    const fd = fs.openSync(file, 'wx', 0o600);
    try {
      for await (const chunk of decompress(input)) {
        for (let off = 0; off < chunk.length; ) off += fs.writeSync(fd, chunk, off, chunk.length - off);
      }
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    cleanup();
    throw err;
  }
  return { file, shown, cleanup };
}

/** Opens the archive to load: `input` is a file path, or undefined for standard input. */
export async function archiveInput(ctx: Context, input: string | undefined, stdin: NodeJS.ReadableStream | undefined): Promise<ArchiveInput> {
  if (input === undefined || input === '-') {
    if (!stdin || (stdin as { isTTY?: boolean }).isTTY) {
      throw new InvalidArgumentError('no archive to load: give one with -i FILE or redirect it to standard input');
    }
    return spool(ctx, stdin as AsyncIterable<Uint8Array | string>, 'standard input');
  }
  const shown = `"${input}"`;
  let st: fs.Stats;
  try {
    st = fs.statSync(input);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`cannot load ${shown}: no such file`);
    throw systemError(`load ${shown}`, err);
  }
  if (st.isDirectory()) {
    const { packDirectory } = await import('../archive/pack.js');
    return spool(ctx, packDirectory(input, { warn: (m) => ctx.warn(m) }), shown);
  }
  if (st.isFile() && detectCompression(head(input)) === 'none') return { file: input, shown, cleanup: () => undefined };
  return spool(ctx, fs.createReadStream(input), shown);
}
