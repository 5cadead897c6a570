import { expandPairs, expandWord, expandWords } from '../../../lib/build/expand.js';

const vars = new Map([
  ['A', 'one'],
  ['SPACED', 'x y'],
  ['EMPTY', ''],
]);

describe('variable expansion as docker does it', () => {
  it('replaces $V and ${V}, and unset variables with nothing', () => {
    expect(expandWord('$A/${A}-$NOPE.', vars)).toBe('one/one-.');
  });

  it('applies the :- :+ - + modifiers by whether a variable is set or empty', () => {
    expect(expandWord('${NOPE:-d} ${EMPTY:-d} ${EMPTY-d} ${A:-d}', vars)).toBe('d d  one');
    expect(expandWord('${A:+alt} ${EMPTY:+alt} ${EMPTY+alt} ${NOPE+alt}', vars)).toBe('alt  alt ');
    expect(expandWord('${NOPE:-$A}', vars)).toBe('one');
  });

  it('keeps single-quoted text literal, expands in double quotes, and honours the escape character', () => {
    expect(expandWords(`'$A' "$A" \\$A`, vars)).toEqual(['$A', 'one', '$A']);
    expect(expandWords('`$A x', vars, '`')).toEqual(['$A', 'x']);
  });

  it('never splits or unquotes the value of a variable again', () => {
    expect(expandWords('$SPACED "a b"', vars)).toEqual(['x y', 'a b']);
  });

  it('reads KEY=VALUE pairs and the legacy KEY VALUE form', () => {
    expect(expandPairs('K=$A Q="a b" R=${SPACED}', vars, '\\', 'ENV', true)).toEqual([
      ['K', 'one'],
      ['Q', 'a b'],
      ['R', 'x y'],
    ]);
    expect(expandPairs('GREETING hello $A', vars, '\\', 'ENV', true)).toEqual([['GREETING', 'hello one']]);
    expect(() => expandPairs('NOVALUE', vars, '\\', 'LABEL', false)).toThrow('LABEL "NOVALUE" is not KEY=VALUE');
  });

  it('rejects an unclosed quote or brace with the text it could not expand', () => {
    expect(() => expandWord('"abc', vars)).toThrow('cannot expand ""abc": a double quote is not closed');
    expect(() => expandWord('${A', vars)).toThrow('has no closing');
    expect(() => expandWord('${A:?x}', vars)).toThrow('unsupported modifier');
  });
});
