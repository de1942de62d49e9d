/** Plain, serializable HTTP data. Header lists keep wire order, duplicates and original case. */
export type HeaderList = Array<[name: string, value: string]>;

/** All values of one header, case-insensitively, in order. */
export function headerValues(headers: HeaderList, name: string): string[] {
  const want = name.toLowerCase();
  const out: string[] = [];
  for (const [n, v] of headers) if (n.toLowerCase() === want) out.push(v);
  return out;
}

/** The first value of one header, or undefined. */
export function headerValue(headers: HeaderList, name: string): string | undefined {
  return headerValues(headers, name)[0];
}

export function hasHeader(headers: HeaderList, name: string): boolean {
  return headerValues(headers, name).length > 0;
}

export function withoutHeaders(headers: HeaderList, names: string[]): HeaderList {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  return headers.filter(([n]) => !drop.has(n.toLowerCase()));
}

/** Methods that a probe may send again without the user's leave (RFC 9110 §9.2.1). */
export function isSafeMethod(method: string): boolean {
  return ['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(method.toUpperCase());
}
