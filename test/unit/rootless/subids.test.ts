import { parseSubIds } from '../../../lib/rootless/subids.js';

const text = '# comment\nalice:100000:65536\nbob:200000:65536\n1003:300000:1000\nalice:500000:65536\nbroken:x:1\n';

describe('subordinate ID ranges', () => {
  it('finds the first range of a user by name', () => {
    expect(parseSubIds(text, 'alice', 1001)).toEqual({ start: 100000, count: 65536 });
  });

  it('finds a range written with the numeric uid', () => {
    expect(parseSubIds(text, 'carol', 1003)).toEqual({ start: 300000, count: 1000 });
  });

  it('gives nothing for a user without a line or with an unparsable one', () => {
    expect(parseSubIds(text, 'dave', 1004)).toBeUndefined();
    expect(parseSubIds(text, 'broken', 1005)).toBeUndefined();
  });
});
