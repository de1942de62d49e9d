/**
 * Reason phrases (RFC 9110 §15) for the statuses why401 usually shows, so that every report says
 * "401 Unauthorized" the same way. A status not listed is shown as its number alone.
 */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  407: 'Proxy Authentication Required',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** "401 Unauthorized", or "418" for a status without a phrase here. */
export function statusWithText(status: number): string {
  return `${status} ${STATUS_TEXT[status] ?? ''}`.trim();
}
