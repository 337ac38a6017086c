import { isDocumentId } from "./document-id.ts";

// No Yjs here: the documents route imports this, and a second copy of Yjs in Next's bundle would
// break Yjs's constructor checks ("Yjs was already imported").

/** How a document list is ordered: last edited first, newest first, or by title A to Z. */
export const DOCUMENT_SORTS = ["edited", "created", "title"] as const;
export type DocumentSort = (typeof DOCUMENT_SORTS)[number];

export function isDocumentSort(value: string): value is DocumentSort {
  return (DOCUMENT_SORTS as readonly string[]).includes(value);
}

/**
 * Where a page of a document list ends: the last row's sort value and id; opaque to clients (see
 * encodeCursor). A cursor belongs to the order it was given for.
 */
export type DocumentCursor =
  | { sort: "edited"; updatedAt: Date; id: string }
  | { sort: "created"; createdAt: Date; id: string }
  | { sort: "title"; title: string; id: string };

/**
 * A cursor as clients carry it, base64url of: "<updatedAt ms>.<id>" (as before other orders existed,
 * so cursors given out then still work), "c<createdAt ms>.<id>", or "t<id>.<title>".
 */
export function encodeCursor(cursor: DocumentCursor): string {
  const text =
    cursor.sort === "edited"
      ? `${cursor.updatedAt.getTime()}.${cursor.id}`
      : cursor.sort === "created"
        ? `c${cursor.createdAt.getTime()}.${cursor.id}`
        : `t${cursor.id}.${cursor.title}`;
  return Buffer.from(text).toString("base64url");
}

/** The cursor a client sent back for that order, or null when it is not one of ours (or of another order). */
export function decodeCursor(value: string, sort: DocumentSort = "edited"): DocumentCursor | null {
  const text = Buffer.from(value, "base64url").toString();
  if (sort === "title") {
    if (!text.startsWith("t")) return null;
    const id = text.slice(1, 37);
    return isDocumentId(id) && text[37] === "." ? { sort, id, title: text.slice(38) } : null;
  }
  const prefix = sort === "created" ? "c" : "";
  if (prefix && !text.startsWith(prefix)) return null;
  const [ms, id] = text.slice(prefix.length).split(".");
  const time = Number(ms);
  if (!/^\d+$/.test(ms ?? "") || !Number.isSafeInteger(time) || !isDocumentId(id ?? "")) return null;
  return sort === "created" ? { sort, createdAt: new Date(time), id } : { sort, updatedAt: new Date(time), id };
}
