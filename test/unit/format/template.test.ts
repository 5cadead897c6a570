import { InvalidArgumentError } from '../../../lib/errors.js';
import { compileTemplate, formatObjects, formatRows, renderTemplate } from '../../../lib/format/template.js';

/** A container as `podman inspect` shows it, cut down. */
const container = {
  ID: '3f2a9c1b7d4e',
  Image: 'docker.io/library/nginx:latest',
  Names: ['web'],
  State: { Status: 'running', Pid: 4242, Running: true, ExitCode: 0 },
  Config: { Labels: { 'com.example.x': 'yes', app: 'shop' }, Env: [] as string[] },
  Mounts: [{ Destination: '/data' }, { Destination: '/logs' }],
};

/** A Go map[string]interface{}: missing keys are no value rather than an error. */
function goMap(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, entries);
}

function errorOf(fn: () => unknown): InvalidArgumentError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidArgumentError) return err;
    throw err;
  }
  throw new Error('expected an InvalidArgumentError, nothing was thrown');
}

describe('renderTemplate with podman-style templates', () => {
  it('prints a nested field', () => {
    expect(renderTemplate('{{.State.Status}}', container)).toBe('running');
  });

  it('prints the whole item as compact JSON', () => {
    expect(renderTemplate('{{json .}}', { ID: 'a', Names: ['x', 'y'], State: { Pid: 1 } })).toBe(
      '{"ID":"a","Names":["x","y"],"State":{"Pid":1}}',
    );
  });

  it('prints labels as JSON', () => {
    expect(renderTemplate('{{json .Config.Labels}}', container)).toBe('{"com.example.x":"yes","app":"shop"}');
  });

  it('ranges over mounts with dot set to each mount', () => {
    expect(renderTemplate('{{range .Mounts}}{{.Destination}} {{end}}', container)).toBe('/data /logs ');
  });

  it('indexes a label whose key has dots in it', () => {
    expect(renderTemplate('{{index .Config.Labels "com.example.x"}}', container)).toBe('yes');
  });

  it('tests the state with eq inside if', () => {
    expect(renderTemplate('{{if eq .State.Status "running"}}up{{end}}', container)).toBe('up');
    expect(renderTemplate('{{if eq .State.Status "exited"}}up{{end}}', container)).toBe('');
  });
});

describe('renderTemplate text and actions', () => {
  it('copies text outside actions as it is', () => {
    expect(renderTemplate('no actions here', {})).toBe('no actions here');
  });

  it('prints dot itself', () => {
    expect(renderTemplate('<{{.}}>', 'x')).toBe('<x>');
  });

  it('prints $ as the data passed in, also inside range', () => {
    expect(renderTemplate('{{range .Names}}{{$.ID}}:{{.}}{{end}}', container)).toBe('3f2a9c1b7d4e:web');
  });

  it('trims white space before {{- and after -}}', () => {
    expect(renderTemplate('a \n\t {{- .ID -}} \n b', { ID: 'x' })).toBe('axb');
  });

  it('reads {{-3}} as the number -3, not a trim marker', () => {
    expect(renderTemplate('a {{-3}}', {})).toBe('a -3');
  });

  it('drops comments, trimming around them when asked', () => {
    expect(renderTemplate('a {{- /* why */ -}} b{{/* gone */}}', {})).toBe('ab');
  });

  it('turns \\t and \\n typed in a shell into tab and newline', () => {
    expect(renderTemplate('{{.A}}\\t{{.B}}\\n', { A: 1, B: 2 })).toBe('1\t2\n');
  });
});

describe('renderTemplate values', () => {
  it('prints strings, numbers and booleans as Go does', () => {
    expect(renderTemplate('{{.S}} {{.I}} {{.F}} {{.T}} {{.Big}} {{.Small}}', { S: 's', I: 42, F: 1.5, T: false, Big: 1e21, Small: 0.00001 })).toBe(
      's 42 1.5 false 1e+21 1e-05',
    );
  });

  it('prints lists as [a b c] and maps as map[k:v] with sorted keys', () => {
    expect(renderTemplate('{{.L}} {{.M}}', { L: ['a', 'b', 'c'], M: { b: 2, a: [1] } })).toBe('[a b c] map[a:[1] b:2]');
  });

  it('prints null as <no value>, and <nil> inside a list', () => {
    expect(renderTemplate('{{.N}} {{.L}}', { N: null, L: ['a', null] })).toBe('<no value> [a <nil>]');
  });

  it('prints a Date as Go prints a time.Time, in UTC', () => {
    expect(renderTemplate('{{.}}', new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 500)))).toBe('2024-01-02 03:04:05.5 +0000 UTC');
  });

  it('reads string, raw string, number, bool and nil literals', () => {
    expect(renderTemplate('{{"a\\tb\\u00e9"}}|{{`raw\\n`}}|{{0x1F}}|{{.5}}|{{true}}|{{print nil}}', {})).toBe('a\tbé|raw\n|31|0.5|true|<nil>');
  });
});

describe('renderTemplate fields', () => {
  it('rejects a field the object does not have, naming it', () => {
    expect(errorOf(() => renderTemplate('{{.Foo}}', container)).message).toBe('invalid --format template "{{.Foo}}": field "Foo" does not exist');
  });

  it('rejects an unknown field deep in a chain', () => {
    expect(errorOf(() => renderTemplate('{{.State.Nope}}', container)).message).toMatch(/field "Nope" does not exist$/);
  });

  it('prints <no value> for a key missing from a Go map (null-prototype object)', () => {
    expect(renderTemplate('{{.Missing}}|{{.Missing.Deeper}}', goMap({ Here: 1 }))).toBe('<no value>|<no value>');
  });

  it('treats a Map as a Go map', () => {
    expect(renderTemplate('{{.a}}|{{.z}}|{{.}}', new Map([['a', 1], ['b', 2]]))).toBe('1|<no value>|map[a:1 b:2]');
  });

  it('prints <no value> for a field of null', () => {
    expect(renderTemplate('{{.Health.Status}}', { Health: null })).toBe('<no value>');
  });

  it('refuses a field of a string or of a list', () => {
    expect(errorOf(() => renderTemplate('{{.ID.Short}}', container)).message).toMatch(/can't evaluate field Short in type string$/);
    expect(errorOf(() => renderTemplate('{{.Names.First}}', container)).message).toMatch(/can't evaluate field First in type \[\]interface \{\}$/);
  });

  it('reads getters and calls methods of class instances, as Go calls methods', () => {
    class Row {
      constructor(private readonly id: string) {}
      get Short(): string {
        return this.id.slice(0, 3);
      }
      Prefix(p: string): string {
        return p + this.id;
      }
    }
    expect(renderTemplate('{{.Short}} {{.Prefix "id:"}} {{"x" | .Prefix}}', new Row('abcdef'))).toBe('abc id:abcdef xabcdef');
  });

  it('does not expose what every object inherits', () => {
    expect(errorOf(() => renderTemplate('{{.constructor}}', {})).message).toMatch(/field "constructor" does not exist$/);
  });

  it('follows a field chain off a variable and off a parenthesized pipeline', () => {
    expect(renderTemplate('{{$s := .State}}{{$s.Pid}} {{(index .Mounts 1).Destination}}', container)).toBe('4242 /logs');
  });
});

describe('renderTemplate pipelines and variables', () => {
  it('passes each result as the last argument of the next command', () => {
    expect(renderTemplate('{{.ID | printf "%s-%s" "id" | upper}}', container)).toBe('ID-3F2A9C1B7D4E');
  });

  it('declares a variable without printing and assigns it with =', () => {
    expect(renderTemplate('{{$x := 1}}{{$x = 2}}[{{$x}}]', {})).toBe('[2]');
  });

  it('scopes a variable to the control structure it is declared in', () => {
    expect(renderTemplate('{{$x := "out"}}{{if true}}{{$x := "in"}}{{$x}}{{end}} {{$x}}', {})).toBe('in out');
  });

  it('rejects an undefined variable when compiling', () => {
    expect(errorOf(() => compileTemplate('{{if true}}{{$x := 1}}{{end}}{{$x}}')).message).toMatch(/undefined variable "\$x"$/);
  });

  it('compiles once and renders many items', () => {
    const render = compileTemplate('{{.Name}};');
    expect([{ Name: 'a' }, { Name: 'b' }].map(render).join('')).toBe('a;b;');
  });
});

describe('renderTemplate control structures', () => {
  it('chooses between if, else if and else', () => {
    const t = compileTemplate('{{if eq . 1}}one{{else if eq . 2}}two{{else if eq . 3}}three{{else}}many{{end}}');
    expect([1, 2, 3, 4].map(t)).toEqual(['one', 'two', 'three', 'many']);
  });

  it('uses Go truth: empty string, 0, false, nil and empty lists and maps are false', () => {
    const t = compileTemplate('{{if .}}T{{else}}F{{end}}');
    expect(['', 0, false, null, [], {}, goMap({})].map(t).join('')).toBe('FFFFFFF');
    expect(['x', 1, true, [0], { a: 1 }, new Date(0)].map(t).join('')).toBe('TTTTTT');
  });

  it('sets dot with with, and runs its else when the value is empty', () => {
    expect(renderTemplate('{{with .State}}{{.Pid}}{{end}}', container)).toBe('4242');
    expect(renderTemplate('{{with .Config.Env}}env{{else}}no env{{end}}', container)).toBe('no env');
    expect(renderTemplate('{{with $p := .State.Pid}}{{$p}}{{end}}', container)).toBe('4242');
  });

  it('chains with blocks with else with', () => {
    const t = compileTemplate('{{with .A}}a={{.}}{{else with .B}}b={{.}}{{else}}none{{end}}');
    expect([{ A: 'x', B: 'y' }, { A: '', B: 'y' }, { A: '', B: '' }].map(t)).toEqual(['a=x', 'b=y', 'none']);
  });

  it('ranges with index and element variables', () => {
    expect(renderTemplate('{{range $i, $m := .Mounts}}{{$i}}={{$m.Destination}};{{end}}', container)).toBe('0=/data;1=/logs;');
  });

  it('ranges with one variable as the element', () => {
    expect(renderTemplate('{{range $n := .Names}}{{$n}}{{end}}', container)).toBe('web');
  });

  it('ranges over a map in key order', () => {
    expect(renderTemplate('{{range $k, $v := .Config.Labels}}{{$k}}={{$v}},{{end}}', container)).toBe('app=shop,com.example.x=yes,');
  });

  it('ranges over a number n as 0 to n-1', () => {
    expect(renderTemplate('{{range 3}}{{.}}{{end}}', {})).toBe('012');
  });

  it('runs the else of range when there is nothing to range over', () => {
    expect(renderTemplate('{{range .}}x{{else}}none{{end}}', [])).toBe('none');
    expect(renderTemplate('{{range .Nope}}x{{else}}none{{end}}', goMap({}))).toBe('none');
  });

  it('refuses to range over a string', () => {
    expect(errorOf(() => renderTemplate('{{range .ID}}{{end}}', container)).message).toMatch(/range can't iterate over 3f2a9c1b7d4e$/);
  });
});

describe('renderTemplate functions', () => {
  it('changes case with upper, lower and title', () => {
    expect(renderTemplate('{{upper "ab"}} {{lower "AB"}} {{title "hello big-world"}}', {})).toBe('AB ab Hello Big-World');
  });

  it('joins and splits', () => {
    expect(renderTemplate('{{join .Names ","}}|{{join (split "a:b:c" ":") "-"}}|{{split "a,b" ","}}', { Names: ['x', 'y'] })).toBe('x,y|a-b-c|[a b]');
  });

  it('truncates to a number of characters', () => {
    expect(renderTemplate('{{truncate .ID 5}}|{{truncate "ab" 5}}', container)).toBe('3f2a9|ab');
  });

  it('indexes lists and maps, several levels at once', () => {
    expect(renderTemplate('{{index .Names 0}} {{index . "Config" "Labels" "app"}}', container)).toBe('web shop');
  });

  it('gives "" for a key a map of strings lacks (Go: the zero value of map[string]string), no value for other maps', () => {
    // Labels: podman 4.3.1 prints nothing for {{index .Config.Labels "nope"}}, checked side by side.
    expect(renderTemplate('[{{index .Config.Labels "nope"}}] [{{index .Labels "nope"}}]', { ...container, Labels: goMap({}) })).toBe('[] []');
    expect(renderTemplate('[{{index .State "Nope"}}] [{{index .Ports "80/tcp"}}]', { ...container, Ports: goMap({ '53/udp': [] }) })).toBe(
      '[<no value>] [<no value>]',
    );
  });

  it('gives a missing key the map\'s zero value: "" among strings (podman\'s labels), else no value', () => {
    expect(renderTemplate('[{{index .Config.Labels "nope"}}]', container)).toBe('[]');
    expect(renderTemplate('[{{index . "Nope"}}]', container)).toBe('[<no value>]');
  });

  it('rejects an index out of range', () => {
    expect(errorOf(() => renderTemplate('{{index .Names 3}}', container)).message).toMatch(/error calling index: index out of range: 3$/);
  });

  it('measures lists, maps and strings with len', () => {
    expect(renderTemplate('{{len .Names}} {{len .Config.Labels}} {{len "héllo"}} {{.Mounts | len}}', container)).toBe('1 2 5 2');
  });

  it('formats with printf: %s %d %v %q %% and widths', () => {
    expect(renderTemplate('{{printf "%-6s|%5d|%v|%q|100%%|%05d|%.2f|%x" "ab" 42 .Names "q" -42 3.14159 255}}', container)).toBe(
      'ab    |   42|[web]|"q"|100%|-0042|3.14|ff',
    );
  });

  it('reports printf mistakes in the output as Go does', () => {
    expect(renderTemplate('{{printf "%d %s|%s" "x" 1}}', {})).toBe('%!d(string=x) %!s(int=1)|%!s(MISSING)');
    expect(renderTemplate('{{printf "%s" "a" 2}}', {})).toBe('a%!(EXTRA int=2)');
  });

  it('prints with print and println as Go does', () => {
    expect(renderTemplate('{{print 1 2 "a" "b" 3}}|{{println "a" 1}}', {})).toBe('1 2ab3|a 1\n');
  });

  it('compares with eq ne lt le gt ge', () => {
    expect(renderTemplate('{{eq 1 2 1}} {{ne "a" "b"}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}}', {})).toBe('true true true true true false');
  });

  it('treats nil as equal only to nil', () => {
    expect(renderTemplate('{{eq .Nope nil}} {{eq .Nope "x"}}', goMap({}))).toBe('true false');
  });

  it('refuses to compare a string with a number', () => {
    expect(errorOf(() => renderTemplate('{{eq .State.Pid "4242"}}', container)).message).toMatch(
      /error calling eq: incompatible types for comparison: int and string$/,
    );
  });

  it('returns the deciding value from and/or and negates with not', () => {
    expect(renderTemplate('{{and 1 0 2}} {{and 1 2}} {{or 0 "" "x"}} {{or 0 ""}}| {{not 0}} {{not .Names}}', container)).toBe('0 2 x | true false');
  });

  it('stops evaluating and/or at the deciding argument', () => {
    expect(renderTemplate('{{and .Health .Health.Status}}|{{or .ID .Nope}}', { ID: 'a', Health: null })).toBe('<no value>|a');
  });

  it('checks how many arguments a function gets', () => {
    expect(errorOf(() => renderTemplate('{{join .Names}}', container)).message).toMatch(/wrong number of args for join: want 2 got 1$/);
  });
});

describe('compileTemplate syntax errors', () => {
  const cases: [string, string][] = [
    ['{{.Names', 'unclosed action'],
    ['{{"abc}}', 'unterminated quoted string'],
    ['{{foo .ID}}', 'function "foo" not defined'],
    ['{{}}', 'missing value for command'],
    ['{{end}}', 'unexpected {{end}}'],
    ['{{else}}', 'unexpected {{else}}'],
    ['{{if .A}}x', '{{if}} has no matching {{end}}'],
    ['{{range .A}}{{else}}a{{else}}b{{end}}', '{{range}} has more than one {{else}}'],
    ['{{range .A}}{{else if .B}}{{end}}', '{{else if}} is only allowed inside {{if}}'],
    ['{{(.ID}}', 'unclosed left paren'],
    ['{{.ID)}}', 'unexpected ")" in command'],
    ['{{.ID | "x"}}', 'non-executable command in pipeline stage 2'],
    ['{{"a" "b"}}', 'can\'t give argument to non-function "a"'],
    ['{{nil}}', 'nil is not a command'],
    ['{{3x}}', 'bad number syntax "3x"'],
    ['{{"\\q"}}', 'unknown escape sequence "\\q" in string'],
    ['{{template "x"}}', '{{template}} is not supported'],
    ['{{.A@}}', 'unexpected "@" in action'],
  ];
  for (const [template, reason] of cases) {
    it(`rejects ${template} with "${reason}"`, () => {
      const err = errorOf(() => compileTemplate(template));
      expect(err.message).toBe(`invalid --format template "${template}": ${reason}`);
      expect(err.code).toBe('invalid-argument');
    });
  }

  it('keeps the message on one line when the template has tabs and newlines', () => {
    expect(errorOf(() => compileTemplate('{{.A}}\t\n{{.B')).message).toBe('invalid --format template "{{.A}}\\t\\n{{.B": unclosed action');
  });
});

describe('formatRows', () => {
  const rows = [
    { ID: '3f2a9c1b7d4e', Image: 'nginx:latest', Names: 'web', CreatedAt: '2 hours ago' },
    { ID: 'b1', Image: 'busybox', Names: 'job', CreatedAt: 'now' },
  ];

  it('prints one line per row without table', () => {
    expect(formatRows('{{.ID}} {{.Names}}', rows)).toBe('3f2a9c1b7d4e web\nb1 job\n');
  });

  it('does not add a second newline to a template ending in one', () => {
    expect(formatRows('{{.ID}}\\n', rows)).toBe('3f2a9c1b7d4e\nb1\n');
  });

  it('prints a header from the headers map and aligns the columns with 3 spaces', () => {
    expect(formatRows('table {{.ID}}\\t{{.Image}}\\t{{.Names}}', rows, { '.ID': 'CONTAINER ID' })).toBe(
      'CONTAINER ID   IMAGE          NAMES\n' + //
        '3f2a9c1b7d4e   nginx:latest   web\n' +
        'b1             busybox        job\n',
    );
  });

  it('derives a missing header from the field name, split at its capitals', () => {
    expect(formatRows('table {{.Names}}\t{{.CreatedAt}}', rows)).toBe('NAMES   CREATED AT\nweb     2 hours ago\njob     now\n');
  });

  it('takes the header of an action from the first field it uses', () => {
    expect(formatRows('table {{upper .Names}}\t{{range .L}}{{.}}{{end}}\t{{json .Config.Labels}}', [{ Names: 'a', L: [1, 2], Config: { Labels: {} } }])).toBe(
      'NAMES   L    LABELS\nA       12   {}\n',
    );
  });

  it('separates columns at spaces as podman does in table mode', () => {
    expect(formatRows('table {{.ID}} {{.Names}}', rows)).toBe('ID             NAMES\n3f2a9c1b7d4e   web\nb1             job\n');
  });

  it('prints just the header when there are no rows', () => {
    expect(formatRows('table {{.ID}}\t{{.Names}}', [], { '.ID': 'CONTAINER ID' })).toBe('CONTAINER ID   NAMES\n');
  });

  it('takes other alignment settings, such as podman\'s own 12 and 2', () => {
    expect(formatRows('table {{.ID}}\t{{.Names}}', rows.slice(1), {}, { minWidth: 12, padding: 2 })).toBe('ID          NAMES\nb1          job\n');
  });

  it('rejects table with no row template, naming the template', () => {
    expect(errorOf(() => formatRows('table', rows)).message).toBe('invalid --format template "table": no row template after "table"');
  });

  it('names the whole template when a row fails', () => {
    expect(errorOf(() => formatRows('table {{.Nope}}', rows)).message).toBe('invalid --format template "table {{.Nope}}": field "Nope" does not exist');
  });
});

describe('formatObjects (what inspect prints for a template)', () => {
  const objects = [{ Name: 'top1', Status: 'running' }, { Name: 'a-much-longer-name', Status: 'created' }];

  it('prints the template once per object, adding a newline only where it does not end with one', () => {
    expect(formatObjects('{{.Name}}\\t{{.Status}}', objects)).toBe('top1\trunning\na-much-longer-name\tcreated\n');
    expect(formatObjects('{{.Name}}\\n\\n', objects)).toBe('top1\n\na-much-longer-name\n\n');
  });

  it('reads "table " as podman 4.3.1 inspect does: no header, the word dropped, spaces as tabs, all objects aligned together', () => {
    expect(formatObjects('table {{.Name}} {{.Status}} x', objects)).toBe('top1                running     x\na-much-longer-name  created     x\n');
    expect(formatObjects('table {{.Name}}\\t{{.Status}}', objects.slice(0, 1))).toBe('top1        running\n');
    expect(formatObjects('table {{printf "%s a" .Name}}|{{ .Status }} table x', objects.slice(0, 1))).toBe('top1        a|running   x\n');
    expect(formatObjects('table {{.Name}}\\n', objects)).toBe('top1\na-much-longer-name\n');
  });

  it('keeps "table" that is not followed by a space or not at the very start, as podman does', () => {
    expect(formatObjects('table', objects.slice(0, 1))).toBe('table\n');
    expect(formatObjects(' table {{.Name}}', objects.slice(0, 1))).toBe(' table top1\n');
  });

  it('names the template as typed when it fails', () => {
    expect(errorOf(() => formatObjects('table {{.Nope}}', objects)).message).toBe('invalid --format template "table {{.Nope}}": field "Nope" does not exist');
  });
});
