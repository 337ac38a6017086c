/** Ids of documents, links and tokens are UUIDs: anything else is refused before it reaches the database. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function isDocumentId(value: string): boolean {
  return isUuid(value);
}
