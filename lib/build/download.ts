// ADD <url>: the file is fetched by pman itself (not inside the build container, as docker does)
// into a private directory, named after the URL's last path element and dated by Last-Modified.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { PmanError } from '../errors.js';
import { makeTmpDir } from './image-adapter.js';

export function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

export interface Download {
  dir: string;
  name: string;
  release: () => Promise<void>;
}

export async function downloadUrl(ctx: Context, url: string): Promise<Download> {
  const dir = makeTmpDir(ctx, 'add-url-');
  const release = async () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    let res: Response;
    try {
      res = await fetch(url, { redirect: 'follow' });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new PmanError('system', `cannot download "${url}": ${cause?.code ?? cause?.message ?? (err as Error).message}`, { cause: err });
    }
    if (!res.ok) throw new PmanError('system', `cannot download "${url}": the server answered ${res.status} ${res.statusText}`);
    const base = decodeURIComponent(new URL(url).pathname.split('/').filter(Boolean).pop() ?? '');
    const name = base && base !== '.' && base !== '..' ? base : 'download';
    const file = path.join(dir, name);
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()), { mode: 0o600 });
    const modified = Date.parse(res.headers.get('last-modified') ?? '');
    if (!Number.isNaN(modified)) fs.utimesSync(file, modified / 1000, modified / 1000);
    ctx.debug(`downloaded ${url} to ${file}`);
    return { dir, name, release };
  } catch (err) {
    await release();
    throw err;
  }
}
