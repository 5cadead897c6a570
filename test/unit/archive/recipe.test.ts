import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { extractTar } from '../../../lib/archive/extract.js';
import { RecipeRecorder, replayRecipe } from '../../../lib/archive/recipe.js';
import { chunks, makeTar, TempDirs, type Member } from './fixtures.js';

const temp = new TempDirs();
afterEach(() => temp.cleanup());

/** Extracts `tar` while recording; returns the unpacked dir, the recipe and the stats. */
async function record(tar: string, chunkSize?: number): Promise<{ diff: string; recipe: string; replaced: number }> {
  const dir = temp.make('pman-recipe-');
  const diff = path.join(dir, 'diff');
  fs.mkdirSync(diff);
  const recorder = new RecipeRecorder(path.join(dir, 'recipe.gz'));
  const stats = await extractTar(chunks(tar, chunkSize), diff, { rootless: process.getuid?.() !== 0, recorder });
  recorder.finish();
  return { diff, recipe: recorder.path, replaced: stats.replaced };
}

async function replay(recipe: string, diff: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of replayRecipe(recipe, diff)) parts.push(c);
  return Buffer.concat(parts);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const members: Member[] = [
  { name: 'etc/', type: 'dir' },
  { name: 'etc/hostname', data: 'box\n' },
  { name: `etc/${'long-name-'.repeat(15)}`, data: 'x'.repeat(1500), pax: { 'SCHILY.xattr.user.k': 'v' } },
  { name: 'etc/link', type: 'hardlink', linkname: 'etc/hostname' },
  { name: 'etc/sym', type: 'symlink', linkname: 'hostname' },
  { name: 'empty', data: '' },
  { name: '.wh..wh.plnk/123.456', data: 'aufs hard link body' },
  { name: 'var/.wh.cache', data: '' },
];

describe('layer recipes', () => {
  for (const format of ['pax', 'gnu', 'ustar'] as const) {
    it(`rebuild a ${format} archive byte for byte from the unpacked files`, async () => {
      const tar = makeTar(path.join(temp.make(), 'l.tar'), format === 'ustar' ? members.filter((m) => m.name.length < 100 && !m.pax) : members, { format });
      const { diff, recipe, replaced } = await record(tar, 700);
      expect(replaced).toBe(0);
      expect(sha(await replay(recipe, diff))).toBe(sha(fs.readFileSync(tar)));
    });
  }

  it('rebuild what GNU tar writes, including its padding to the record size', async () => {
    const src = temp.make();
    fs.mkdirSync(path.join(src, 'a/b'), { recursive: true });
    fs.writeFileSync(path.join(src, 'a/b/f'), Buffer.alloc(70000, 7));
    fs.writeFileSync(path.join(src, 'a/g'), 'g');
    const tar = path.join(temp.make(), 'gnu.tar');
    execFileSync('tar', ['-cf', tar, '-C', src, 'a']);
    expect(fs.statSync(tar).size % 10240).toBe(0);
    const { diff, recipe } = await record(tar);
    expect(sha(await replay(recipe, diff))).toBe(sha(fs.readFileSync(tar)));
    // The recipe holds headers and padding, not the file bodies.
    expect(fs.statSync(recipe).size).toBeLessThan(2000);
  });

  it('count the entries that replaced earlier ones (their bodies are gone from the tree)', async () => {
    const tar = makeTar(path.join(temp.make(), 'dup.tar'), [
      { name: 'f', data: 'first' },
      { name: 'f', data: 'second' },
    ]);
    expect((await record(tar)).replaced).toBe(1);
  });

  it('fail clearly when an unpacked file no longer matches', async () => {
    const tar = makeTar(path.join(temp.make(), 'l.tar'), [{ name: 'f', data: 'content' }]);
    const { diff, recipe } = await record(tar);
    fs.writeFileSync(path.join(diff, 'f'), 'c');
    await expect(replay(recipe, diff)).rejects.toThrow(`cannot rebuild the layer tar from "${recipe}": "f" is shorter than recorded`);
    fs.rmSync(path.join(diff, 'f'));
    await expect(replay(recipe, diff)).rejects.toThrow('"f" cannot be opened (ENOENT)');
  });

  it('fail clearly on a damaged recipe', async () => {
    const file = path.join(temp.make(), 'r.gz');
    fs.writeFileSync(file, 'not gzip');
    await expect(replay(file, temp.make())).rejects.toThrow(`cannot rebuild the layer tar from "${file}"`);
  });
});
