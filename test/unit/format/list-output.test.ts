// The shared list output: --format json as one document, -q as IDs, the default table, templates
// per row; and one object (info, version) as JSON, a template or the command's plain form.
import { renderList, renderObject, type ListSpec } from '../../../lib/format/list-output.js';
import { toYaml } from '../../../lib/format/yaml.js';

interface Row {
  ID: string;
  Name: string;
}
const rows: Row[] = [
  { ID: 'aaa', Name: 'web' },
  { ID: 'bbb', Name: 'db' },
];
const spec: ListSpec<Row> = { defaultFormat: 'table {{.ID}}\t{{.Name}}', headers: { '.ID': 'CONTAINER ID' }, quiet: (rs) => rs.map((r) => r.ID) };

describe('renderList', () => {
  it('prints the default table without --format and with --format table', () => {
    const table = 'CONTAINER ID  NAME\naaa           web\nbbb           db\n';
    expect(renderList(rows, spec, {})).toBe(table);
    expect(renderList(rows, spec, { format: 'table' })).toBe(table);
  });

  it('prints --format json as one JSON array, [] when there are no rows', () => {
    expect(JSON.parse(renderList(rows, spec, { format: 'json' }))).toEqual(rows);
    expect(renderList([], spec, { format: 'json' })).toBe('[]\n');
  });

  it('prints the JSON document the command gives, with its indentation, and prefers it to -q', () => {
    const doc = renderList(rows, { ...spec, json: () => [{ id: 1 }], jsonIndent: 1 }, { format: 'json', quiet: true });
    expect(doc).toBe('[\n {\n  "id": 1\n }\n]\n');
  });

  it('reads {{json .}} as the document only where the command says so', () => {
    expect(renderList(rows, spec, { format: '{{json .}}' })).toBe('{"ID":"aaa","Name":"web"}\n{"ID":"bbb","Name":"db"}\n');
    expect(JSON.parse(renderList(rows, { ...spec, jsonTemplateIsDocument: true }, { format: '{{json .}}' }))).toEqual(rows);
  });

  it('prints -q as one ID per line, and renders other templates per row', () => {
    expect(renderList(rows, spec, { quiet: true })).toBe('aaa\nbbb\n');
    expect(renderList(rows, spec, { format: '{{.Name}}' })).toBe('web\ndb\n');
  });

  it('leaves out the header line with noHeading, only for tables', () => {
    expect(renderList(rows, spec, { noHeading: true })).toBe('aaa           web\nbbb           db\n');
    expect(renderList(rows, spec, { format: '{{.Name}}', noHeading: true })).toBe('web\ndb\n');
  });
});

describe('renderObject', () => {
  const data = { Client: { Version: '1.2.3' } };
  it('prints JSON for --format json, a template otherwise, and the plain form without --format', () => {
    expect(JSON.parse(renderObject(data, 'json', () => 'plain'))).toEqual(data);
    expect(renderObject(data, '{{.Client.Version}}', () => 'plain')).toBe('1.2.3\n');
    expect(renderObject(data, undefined, () => 'plain')).toBe('plain');
    expect(renderObject(data, '', () => 'plain')).toBe('plain');
  });
});

describe('toYaml', () => {
  it('writes nested objects as indented key: value lines', () => {
    expect(toYaml({ host: { arch: 'amd64', ociRuntime: { name: 'runc' } }, rootless: false })).toBe('host:\n  arch: amd64\n  ociRuntime:\n    name: runc\nrootless: false\n');
  });
});
