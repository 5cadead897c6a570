// Where `save` and `export` write their archive: a file (written under a temporary name and
// renamed, so a failure never leaves a half archive where the user expects a whole one) or a
// stream (standard output), with backpressure either way.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, systemError } from '../errors.js';

export interface OutputTarget {
  /** A file path ("-" is not one: pass the stream instead). */
  file?: string;
  stream?: NodeJS.WritableStream;
}

function writeAll(fd: number, chunk: Buffer): void {
  for (let off = 0; off < chunk.length; ) off += fs.writeSync(fd, chunk, off, chunk.length - off);
}

function streamWrite(stream: NodeJS.WritableStream, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    stream.once('error', onError);
    const done = () => {
      stream.removeListener('error', onError);
      resolve();
    };
    if (stream.write(chunk)) done();
    else stream.once('drain', done);
  });
}

async function toFile(chunks: AsyncIterable<Buffer>, file: string): Promise<void> {
  let direct = false;
  try {
    direct = !fs.statSync(file).isFile(); // /dev/null, a FIFO …: write in place
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw systemError(`write "${file}"`, err);
  }
  const dir = path.dirname(path.resolve(file));
  const temp = direct ? file : path.join(dir, `.${path.basename(file)}.pman-${process.pid}-${Date.now()}`);
  let fd: number;
  try {
    fd = fs.openSync(temp, direct ? 'w' : 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InvalidArgumentError(`cannot write "${file}": the directory "${dir}" does not exist`);
    throw systemError(`write "${file}"`, err);
  }
  try {
    for await (const chunk of chunks) writeAll(fd, chunk);
    if (!direct) fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    if (!direct) fs.rmSync(temp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  if (!direct) fs.renameSync(temp, file);
}

/** Writes every chunk to the target; on failure a file target is left as it was. */
export async function writeOutput(chunks: AsyncIterable<Buffer>, target: OutputTarget): Promise<void> {
  if (target.file !== undefined) return toFile(chunks, target.file);
  if (!target.stream) throw new InvalidArgumentError('no output: give a file with -o FILE');
  for await (const chunk of chunks) await streamWrite(target.stream, chunk);
}
