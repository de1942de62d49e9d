import type { Exchange } from '../model/evidence.js';
import type { EvidenceItem } from '../model/finding.js';

/** Small constructors for evidence items, so every check cites the same way. */

export function requestHeader(name: string, value: string): EvidenceItem {
  return { probe: 'input', where: `request.header.${name.toLowerCase()}`, value };
}

export function responseHeader(x: Exchange, name: string, value: string): EvidenceItem {
  return { probe: probeName(x), where: `response.header.${name.toLowerCase()}`, value };
}

export function responseStatus(x: Exchange): EvidenceItem {
  return { probe: probeName(x), where: 'response.status', value: String(x.response?.status ?? '') };
}

export function responseBody(x: Exchange, excerpt: string): EvidenceItem {
  return { probe: probeName(x), where: 'response.body', value: excerpt };
}

export function requestUrl(x: Exchange): EvidenceItem {
  return { probe: probeName(x), where: 'request.url', value: `${x.request.method} ${x.request.url}` };
}

export function tokenClaim(claim: string, value: unknown): EvidenceItem {
  return {
    probe: 'input',
    where: `token.${claim}`,
    value: typeof value === 'string' ? value : JSON.stringify(value),
  };
}

/** `main` for the first hop, `main#2` for the second redirect hop, and so on. */
export function probeName(x: Exchange): string {
  return x.hop === 0 ? x.probe : `${x.probe}#${x.hop}`;
}

/** A short excerpt of a body for evidence: the first line that says something, at most 200 characters. */
export function excerpt(text: string, max = 200): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
