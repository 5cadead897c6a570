// lib/state/retired.ts: a --rm container's directory renamed out of the store in one step (its name
// released), found again by the process that renamed it, and told apart from one whose process is gone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext, type Context } from '../../../lib/context.js';
import { nameOwner, reserveName } from '../../../lib/state/containers.js';
import { removeRetired, retireContainerFiles, retiredContainers } from '../../../lib/state/retired.js';
import { containerRecordFixture } from '../container-record-fixture.js';

let dir: string;
let ctx: Context;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-retired-'));
  ctx = createContext({ root: path.join(dir, 'root'), runroot: path.join(dir, 'run'), env: {} });
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const containers = () => path.join(dir, 'root', 'containers');

describe('retired container files', () => {
  it('are renamed out of the store with the record, the name released, and removed on request', () => {
    const rec = containerRecordFixture();
    fs.mkdirSync(path.join(containers(), rec.id, 'upper', 'etc'), { recursive: true });
    fs.writeFileSync(path.join(containers(), rec.id, 'container.json'), '{}');
    reserveName(ctx, rec.name, rec.id);
    const retired = retireContainerFiles(ctx, rec)!;
    expect(fs.readdirSync(containers())).toEqual([path.basename(retired)]);
    expect(fs.existsSync(path.join(retired, 'container.json'))).toBe(true);
    expect(nameOwner(ctx, rec.name)).toBeUndefined();
    expect(retiredContainers(ctx)).toEqual([{ id: rec.id, path: retired, alive: true }]);
    removeRetired(retired);
    expect(fs.readdirSync(containers())).toEqual([]);
  });

  it('are removed at once when the directory cannot be renamed (already gone)', () => {
    const rec = containerRecordFixture();
    fs.mkdirSync(containers(), { recursive: true });
    reserveName(ctx, rec.name, rec.id);
    expect(retireContainerFiles(ctx, rec)).toBeUndefined();
    expect(nameOwner(ctx, rec.name)).toBeUndefined();
  });

  it("of a process that is gone are told apart; other dot-names are not taken for them", () => {
    const id = 'c'.repeat(64);
    fs.mkdirSync(path.join(containers(), `.removing-${id}-2147483646-1`), { recursive: true });
    fs.mkdirSync(path.join(containers(), `.creating-${id}`));
    fs.mkdirSync(path.join(containers(), `.removing-not-an-id-1-1`));
    expect(retiredContainers(ctx)).toEqual([{ id, path: path.join(containers(), `.removing-${id}-2147483646-1`), alive: false }]);
  });
});
