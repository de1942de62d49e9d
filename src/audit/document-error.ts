/** A document that could not be read or is not an OpenAPI document: one line for the user. */
export class DocumentError extends Error {
  override name = 'DocumentError';
}
