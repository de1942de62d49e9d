import { describe, expect, it } from 'vitest';
import { urlDifference } from '../../src/probe/idp.js';

describe('urlDifference: how an identifier inside a document differs from the one asked for', () => {
  const cases: Array<[got: string, want: string, words: string]> = [
    ['https://a.example/', 'https://a.example', 'a trailing slash the document adds'],
    ['https://a.example/realms/x', 'https://a.example/realms/x/', 'a trailing slash the document leaves out'],
    ['http://a.example', 'https://a.example', 'scheme http vs https'],
    ['https://b.example', 'https://a.example', 'host b.example vs a.example'],
    ['https://a.example:8443/x', 'https://a.example/y', 'host a.example:8443 vs a.example, path /x vs /y'],
    ['https://a.example/?t=1', 'https://a.example/', 'query ?t=1 vs (none)'],
    [
      'HTTPS://A.example',
      'https://a.example',
      'spelling only: the same URL once normalized, but the comparison is exact',
    ],
    ['a.example', 'https://a.example', 'the document’s value is not a URL'],
  ];
  for (const [got, want, words] of cases) {
    it(`${got} vs ${want}`, () => expect(urlDifference(got, want)).toBe(words));
  }
});
