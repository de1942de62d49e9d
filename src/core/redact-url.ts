import {
  contextualIsSecret,
  isOAuthContext,
  isPlaceholder,
  secretName,
} from '../knowledge/credential-rule.js';
import { fingerprint } from './fingerprint.js';

/**
 * A URL for display in the HAR diff: the values of secret query and fragment parameters and any
 * password fingerprinted by the one credential rule, everything else as written.
 */

function decodeParam(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function redactPairs(q: string): string {
  const pairs = q.split('&');
  const oauth = isOAuthContext(pairs.map((p) => decodeParam(p.split('=')[0] ?? '')));
  return pairs
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = decodeParam(pair.slice(0, eq));
      const value = decodeParam(pair.slice(eq + 1));
      const verdict = secretName(name, 'query');
      const secret = verdict === 'secret' || (verdict === 'contextual' && contextualIsSecret(value, oauth));
      return secret && value !== '' && !isPlaceholder(value)
        ? `${pair.slice(0, eq)}=${fingerprint(value)}`
        : pair;
    })
    .join('&');
}

/**
 * A URL for display, with the values of secret query and fragment parameters and any password
 * fingerprinted; everything else as written.
 */
export function redactUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)?([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/is.exec(url);
  if (!m) return url;
  const [, scheme = '', , path = ''] = m;
  let [, , authority = '', , query = '', fragment = ''] = m;
  const at = authority.lastIndexOf('@');
  if (scheme && at >= 0) {
    const info = authority.slice(0, at);
    const colon = info.indexOf(':');
    if (colon >= 0)
      authority = `${info.slice(0, colon)}:${fingerprint(decodeParam(info.slice(colon + 1)))}${authority.slice(at)}`;
  }
  if (query) query = `?${redactPairs(query.slice(1))}`;
  if (fragment.includes('=')) fragment = `#${redactPairs(fragment.slice(1))}`;
  return scheme + authority + path + query + fragment;
}
