import { isDocumentId } from "./document-id.ts";

// No Yjs here: the documents route imports this, and a second copy of Yjs in Next's bundle would
// break Yjs's constructor checks ("Yjs was already imported").

/** Where a page of a document list ends; opaque to clients (see encodeCursor). */
export interface DocumentCursor {
  updatedAt: Date;
  id: string;
}

/** A cursor as clients carry it: base64url of "<updatedAt ms>.<id>". */
export function encodeCursor(cursor: DocumentCursor): string {
  return Buffer.from(`${cursor.updatedAt.getTime()}.${cursor.id}`).toString("base64url");
}

/** The cursor a client sent back, or null when it is not one of ours. */
export function decodeCursor(value: string): DocumentCursor | null {
  const [ms, id] = Buffer.from(value, "base64url").toString().split(".");
  const time = Number(ms);
  return Number.isSafeInteger(time) && isDocumentId(id ?? "") ? { updatedAt: new Date(time), id } : null;
}
