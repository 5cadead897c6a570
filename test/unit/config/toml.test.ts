import fs from 'node:fs';
import { parseSimpleToml, parseToml } from '../../../lib/config/toml.js';

const SAMPLE = `# comment
[containers]
default_capabilities = [
  "CHOWN",   # trailing
  'KILL',
]
env = ["A=1", "B=two words"]   # c
pids_limit = -1
log_size_max = 0
init = true
tz = 'UTC'
empty = []

[engine]
stop_timeout = 10
[engine.runtimes]
crun = ["/usr/bin/crun"]
[machine]
`;

describe('the simple TOML reader', () => {
  it('reads what smol-toml reads for the usual containers.conf shapes', () => {
    expect(parseSimpleToml(SAMPLE)).toEqual(parseToml(SAMPLE));
  });

  it("reads this machine's /usr/share/containers/containers.conf as smol-toml does, when it exists", () => {
    const file = '/usr/share/containers/containers.conf';
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : SAMPLE;
    expect(parseSimpleToml(text)).toEqual(parseToml(text));
  });

  it.each([
    ['a = 1\na = 2\n', 'a repeated key'],
    ['[t]\n[t]\n', 'a repeated table'],
    ['a = 0077\n', 'a leading zero'],
    ['a = 1_000\n', 'an underscore number'],
    ['a = "x\\"y"\n', 'an escape'],
    ['a = "x # y"\n', 'a # in a string'],
    ['[[registry]]\nlocation = "x"\n', 'an array of tables'],
    ['"quoted" = 1\n', 'a quoted key'],
    ['a = [\n"x"\n', 'an array never closed'],
    ['a = { b = 1 }\n', 'an inline table'],
    ['a = 1.5\n', 'a float'],
    ['a.b = 1\n', 'a dotted key'],
    ['a = "x" junk\n', 'junk after a value'],
  ])('leaves %j (%s) to smol-toml', (text) => {
    expect(parseSimpleToml(text)).toBeUndefined();
  });
});
