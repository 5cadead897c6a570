import { goNil, NIL_POINTER, withGoFields } from '../../../lib/format/go-fields.js';
import { compileTemplate } from '../../../lib/format/template.js';

describe('withGoFields', () => {
  it('gives templates the zero value of each field the JSON lacks, nested, without changing the JSON', () => {
    const doc = { Id: 'abc', Config: { Env: ['A=1'] }, Labels: null };
    withGoFields(doc, { Config: { Cmd: [], Env: [], User: '' }, Labels: {}, Size: 0 });
    expect(JSON.stringify(doc)).toBe('{"Id":"abc","Config":{"Env":["A=1"]},"Labels":null}');
    expect(compileTemplate('{{.ID}}|{{.Config.Cmd}}|{{.Config.Env}}|{{.Config.User}}|{{.Size}}|{{.Labels}}')(doc)).toBe('abc|[]|[A=1]||0|<no value>');
  });

  it('leaves a document that already has ID, and values that are not objects, alone', () => {
    const doc = { Id: 'a', ID: 'b' };
    expect(compileTemplate('{{.ID}}')(withGoFields(doc, {}))).toBe('b');
    expect(withGoFields('text', { X: 1 })).toBe('text');
  });
});

describe('NIL_POINTER', () => {
  it('is a Go nil pointer field: <nil> in a template (not <no value>), false, null in JSON', () => {
    const doc = withGoFields({ Id: 'a' }, { SizeRw: NIL_POINTER });
    expect(compileTemplate('{{.SizeRw}}|{{json .SizeRw}}|{{if .SizeRw}}set{{else}}unset{{end}}|{{printf "%v" .SizeRw}}|{{.Missing}}')(
      Object.assign(doc, { Missing: null }),
    )).toBe('<nil>|null|unset|<nil>|<no value>');
    expect(JSON.stringify({ x: NIL_POINTER })).toBe('{"x":null}');
  });
});

describe('goNil', () => {
  it('is null in the JSON and Go\'s printed zero value ([], map[]) in a template', () => {
    const doc = { List: goNil([]), Map: goNil({}), Full: ['a'] };
    expect(JSON.stringify(doc)).toBe('{"List":null,"Map":null,"Full":["a"]}');
    expect(compileTemplate('{{.List}}|{{.Map}}|{{len .List}}|{{.Full}}|{{json .List}}')(doc)).toBe('[]|map[]|0|[a]|null');
  });
});
