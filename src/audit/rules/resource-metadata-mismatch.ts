import { CITE, PASS, apiRule, fail } from './rule.js';
import { isObject } from './doc-util.js';

function same(a: string, b: string): boolean {
  try {
    // The URL parser's own equivalences only (an empty path is "/", the host's case); nothing looser.
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

export default apiRule(
  {
    id: 'audit.resource-metadata-mismatch',
    category: 'discovery',
    severity: 'error',
    weight: 4,
    title: "The protected resource metadata's resource is not this API",
    description:
      'RFC 9728 §3.3: a client must check that `resource` is identical to the URL it is calling, and refuse the metadata otherwise; a trailing slash or another host is enough to break every client that checks.',
    cites: [CITE.rfc9728_resource],
    fixes: [
      {
        server: 'any',
        fix: 'set resource to the exact base URL clients call (scheme, host, port and path, with or without the trailing slash as they call it)',
      },
    ],
  },
  (api) => {
    const doc = api.resourceMetadata;
    if (!doc || doc.status !== 200 || !isObject(doc.json) || typeof doc.json.resource !== 'string')
      return undefined;
    return same(doc.json.resource, api.baseUrl)
      ? PASS
      : fail(`${doc.url} says resource "${doc.json.resource}"; the API is called at ${api.baseUrl}`);
  },
);
