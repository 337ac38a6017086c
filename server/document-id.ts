/** Document ids are UUIDs: anything else is refused before it reaches the database. */
const DOCUMENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isDocumentId(value: string): boolean {
  return DOCUMENT_ID.test(value);
}
