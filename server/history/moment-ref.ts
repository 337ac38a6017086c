import { isDocumentId } from "../documents/document-id.ts";

// No Yjs here: the API's route handlers import this, and a second copy of Yjs in Next's bundle
// would break Yjs's constructor checks ("Yjs was already imported").

/** A moment as the API names it: a version's id, or a time. */
export type MomentRef = { version: string } | { at: Date };

/**
 * Reads "2026-12-01T10:00:00Z" or a version id from a query parameter; null for neither.
 */
export function parseMomentRef(value: string | null): MomentRef | null {
  if (!value) return null;
  if (isDocumentId(value)) return { version: value };
  // Only full ISO 8601 date-times: "yesterday" or "1" must not be read as some moment.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : { at };
}
