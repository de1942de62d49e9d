import { statusWithText } from '../../model/status-text.js';
import type { FetchedDoc } from '../types.js';

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One line of evidence about a fetched document. */
export function docSaid(doc: FetchedDoc): string {
  if (doc.status === undefined) return `GET ${doc.url} → no answer (${doc.error ?? 'transport failure'})`;
  const shape =
    doc.status !== 200
      ? ''
      : doc.json === undefined
        ? ', not JSON'
        : isObject(doc.json)
          ? ''
          : ', not a JSON object';
  return `GET ${doc.url} → ${statusWithText(doc.status)}${shape}`;
}

/** The JWKS's keys, when it has a list of them. */
export function jwksKeys(doc: FetchedDoc | undefined): Array<Record<string, unknown>> | undefined {
  if (!doc || doc.status !== 200 || !isObject(doc.json) || !Array.isArray(doc.json.keys)) return undefined;
  return doc.json.keys.filter(isObject);
}

export function keyName(k: Record<string, unknown>, i: number): string {
  return typeof k.kid === 'string' ? `key "${k.kid}"` : `key #${i + 1} (no kid)`;
}
