import { commandForm, withEnv } from '../../../lib/image/config-edit.js';

describe('config edits shared by --change and build', () => {
  it('reads a JSON array of strings as exec form and anything else as shell form', () => {
    expect(commandForm(' ["a", "b c"] ')).toEqual({ exec: ['a', 'b c'] });
    expect(commandForm('[not json')).toEqual({ shell: '[not json' });
    expect(commandForm('[1, 2]')).toEqual({ shell: '[1, 2]' });
    expect(commandForm('  echo hi  ')).toEqual({ shell: 'echo hi' });
  });

  it('sets a variable once, last, without changing the list it was given', () => {
    const env = ['A=1', 'B=2'];
    expect(withEnv(env, 'A', '3')).toEqual(['B=2', 'A=3']);
    expect(withEnv(env, 'C', 'x=y')).toEqual(['A=1', 'B=2', 'C=x=y']);
    expect(env).toEqual(['A=1', 'B=2']);
  });
});
