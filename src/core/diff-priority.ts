import type { DiffArea, DiffItem } from '../model/har-diff.js';
import { headerRule } from '../knowledge/credential-rule.js';

/** Which differences between a request that worked and one that was refused matter most. */

const AREA_RANK: Record<DiffArea, number> = {
  token: 0,
  header: 1,
  cookie: 2,
  origin: 3,
  url: 4,
  method: 4,
  redirect: 5,
  proxy: 6,
  challenge: 7,
  status: 8,
};
const TOKEN_RANK = [
  'exp',
  'format',
  'aud',
  'iss',
  'scope',
  'kid',
  'alg',
  'typ',
  'azp',
  'tid',
  'ver',
  'token_use',
  'sub',
];

/**
 * The order of importance: the token and the credentials first, then cookies, origin and URL,
 * redirects, proxies, and the server's answer. A credential header lost on a redirect ranks with
 * the credentials; a header that carries none ranks last, and "the same token on both sides"
 * (context, not a difference) after everything.
 */
export function diffPriority(item: DiffItem): number {
  let rank = AREA_RANK[item.area] * 100;
  if (item.area === 'token') rank += Math.max(0, TOKEN_RANK.indexOf(item.name));
  // Context rather than a difference: the token is NOT what changed.
  if (item.area === 'token' && item.name === 'same token') rank = 990;
  if (item.area === 'header' && headerRule(item.name) === 'no') rank = 950;
  if (item.area === 'redirect' && item.name === 'Authorization') rank = 150;
  if (item.area === 'proxy' && item.name === 'Proxy-Authorization') rank = 160;
  return rank;
}
