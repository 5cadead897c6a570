import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext } from '../../../lib/context.js';
import { CorruptStateError, NotFoundError, found } from '../../../lib/errors.js';
import { existsCommand } from '../../../lib/commands/exists-command.js';
import { containerExists } from '../../../lib/commands/container-exists.js';
import { imageExists } from '../../../lib/commands/image-exists.js';
import { networkExistsCmd } from '../../../lib/commands/network-exists.js';
import { podExistsCmd } from '../../../lib/commands/pod-exists.js';
import { secretExists } from '../../../lib/commands/secret-exists.js';
import { volumeExistsCmd } from '../../../lib/commands/volume-exists.js';
import type { IO } from '../../../lib/commands/types.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-exists-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const io = {} as IO;

describe('an exists command', () => {
  const ctx = createContext({ env: {} });
  const known = existsCommand({ usage: 'thing exists THING', what: 'thing', exists: (_c, name) => name === 'there' });

  it('exits 0 when the thing exists and 1 when it does not', async () => {
    expect(await known.handler(ctx, { thing: 'there' }, io)).toBe(0);
    expect(await known.handler(ctx, { thing: 'gone' }, io)).toBe(1);
    expect(known.positionals).toBe('<thing>');
  });

  it('says what is missing in its own words when the name may be left out', () => {
    const optional = existsCommand({ usage: 'thing exists THING', what: 'thing', missing: 'thing exists needs a thing name', exists: () => true });
    expect(optional.positionals).toBe('[thing]');
    expect(() => optional.handler(ctx, {}, io)).toThrow('thing exists needs a thing name');
  });

  it('takes only "not found" from a lookup as no: other errors stay errors', () => {
    const seen: string[] = [];
    expect(found((name: string) => seen.push(name))('x')).toBe(true);
    expect(seen).toEqual(['x']);
    expect(found((_name: string) => { throw new NotFoundError('no such thing'); })('x')).toBe(false);
    expect(() => found((_name: string) => { throw new CorruptStateError('bad record'); })('x')).toThrow('bad record');
  });
});

describe('the six exists commands', () => {
  it('say 1 for a name an empty store does not have, and keep their positionals and flags', async () => {
    const ctx = createContext({ env: {}, root: path.join(dir, 'root'), runroot: path.join(dir, 'run') });
    const commands = { container: containerExists, image: imageExists, network: networkExistsCmd, pod: podExistsCmd, secret: secretExists, volume: volumeExistsCmd };
    for (const [what, cmd] of Object.entries(commands)) expect([what, await cmd.handler(ctx, { [what]: 'nothing-by-this-name' }, io)]).toEqual([what, 1]);
    expect(Object.fromEntries(Object.entries(commands).map(([what, cmd]) => [what, cmd.positionals]))).toEqual({
      container: '<container>', image: '<image>', network: '[network]', pod: '[pod]', secret: '<secret>', volume: '[volume]',
    });
    expect(containerExists.builder).toBeDefined();
    expect(() => podExistsCmd.handler(ctx, {}, io)).toThrow('pod exists needs a pod name or ID');
    expect(() => networkExistsCmd.handler(ctx, {}, io)).toThrow('network exists needs a network name or ID');
    expect(() => volumeExistsCmd.handler(ctx, {}, io)).toThrow('volume exists needs a volume name');
  });
});
