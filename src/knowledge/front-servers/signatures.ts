/** Pattern helpers shared by the front-server data files. Every version lands in a group named `v`. */

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `name` or `name/1.2.3` as a product token of a Server value (RFC 9110 §10.2.4). */
export function serverToken(name: string): RegExp {
  return new RegExp(`(?:^|\\s)${escape(name)}(?:\\/(?<v>\\d[\\w.+~-]*))?(?=[\\s(]|$)`, 'i');
}

/**
 * A Via hop (`1.1 squid-proxy (squid/5.7)`, `1.1 google`, `HTTP/1.1 caddy`) that mentions `name` as
 * a word, in its received-by or its comment; a `name/1.2` in the comment is the version.
 */
export function viaHop(name: string): RegExp {
  const n = escape(name);
  return new RegExp(
    `^(?=.*\\b${n}\\b)\\S+\\s+\\S+(?:\\s+\\((?:[^)]*?\\b${n}\\/(?<v>\\d[\\w.]*))?[^)]*\\))?`,
    'i',
  );
}
