import { decodeCursor, DOCUMENT_SORTS, encodeCursor, isDocumentSort } from "../../../server/documents/cursor";
import { historyFailure } from "../history";
import { createBody, errorResponse, handle, quotaReached, readBody } from "../request";

export const dynamic = "force-dynamic";

// A page of 100 is 40 KB of JSON; the review's 300 documents in one answer were 119 KB.
const DEFAULT_PAGE = 100;
const MAX_PAGE = 500;

/**
 * The caller's documents (none in the trash), a page at a time: `?limit=` and `?cursor=<nextCursor>`;
 * `?sort=edited` (last edited first, the default), `created` (newest first) or `title` (A to Z);
 * `?owned=1` for only those the caller owns.
 */
export function GET(request: Request): Promise<Response> {
  return handle("GET /api/documents", request, async ({ s, user }) => {
    const query = new URL(request.url).searchParams;
    const limit = query.has("limit") ? Number(query.get("limit")) : DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) return errorResponse(400, `limit must be a whole number from 1 to ${MAX_PAGE}`);
    const sort = query.get("sort") ?? "edited";
    if (!isDocumentSort(sort)) return errorResponse(400, `sort must be one of ${DOCUMENT_SORTS.join(", ")}`);
    const owned = query.get("owned");
    if (owned !== null && !["1", "true", "0", "false"].includes(owned)) return errorResponse(400, "owned must be 1 (only documents you own) or 0");
    const cursorParam = query.get("cursor");
    const cursor = cursorParam ? decodeCursor(cursorParam, sort) : undefined;
    if (cursor === null) return errorResponse(400, "cursor is not one this server gave out for this order: pass nextCursor from the previous page, with the same sort");
    const roles = await s.access.documentsOf(user.id);
    const ids = owned === "1" || owned === "true" ? [...roles].filter(([, role]) => role === "owner").map(([id]) => id) : [...roles.keys()];
    const page = await s.store.pageByIds(ids, limit, cursor, sort);
    return Response.json({
      documents: page.documents.map((document) => ({ ...document, role: roles.get(document.id) })),
      nextCursor: page.nextCursor && encodeCursor(page.nextCursor),
    });
  });
}

/**
 * Creates a document: empty from `{ title }`, or from content, as `{ title, content: { format, data } }`
 * (data: the text, the ProseMirror JSON, or a .docx in base64), a multipart upload of a `file` (with
 * an optional `title` field), or a file sent as the body with its own content type (`?title=`).
 * A file's content is written by the server as its owner's first change; a file that cannot be read
 * creates nothing.
 */
export function POST(request: Request): Promise<Response> {
  return handle("POST /api/documents", request, async ({ s, user }) => {
    const mediaType = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase() ?? "";
    let title: string | undefined;
    let file: { bytes: Uint8Array; contentType?: string; filename?: string } | undefined;
    if (mediaType === "application/json") {
      const body = await readBody(request, createBody);
      if ("response" in body) return body.response;
      title = body.value.title;
      if (body.value.content) file = fileOfContent(body.value.content);
    } else if (mediaType === "multipart/form-data") {
      let form: FormData;
      try {
        form = await request.formData();
      } catch {
        return errorResponse(400, "the upload could not be read as multipart/form-data");
      }
      const part = form.get("file");
      if (!(part instanceof Blob)) return errorResponse(400, 'send the file in a form field named "file"');
      const named = form.get("title");
      title = typeof named === "string" && named.trim() ? named.trim().slice(0, 200) : undefined;
      file = { bytes: new Uint8Array(await part.arrayBuffer()), contentType: part.type || undefined, filename: (part as File).name || undefined };
    } else {
      title = new URL(request.url).searchParams.get("title")?.trim().slice(0, 200) || undefined;
      file = { bytes: new Uint8Array(await request.arrayBuffer()), contentType: mediaType };
    }
    const quota = await s.quotas.mayCreateDocument(user.id);
    if (!quota.allowed) return quotaReached(s, user.id, "documents", quota.retryAfterSeconds);
    let imported;
    if (file) {
      try {
        imported = await s.formats.importDocument(file.bytes, { contentType: file.contentType, filename: file.filename, maxBytes: s.maxImportBytes });
      } catch (error) {
        return historyFailure(error, { logger: s.logger, context: { route: "POST /api/documents", userId: user.id, filename: file?.filename } });
      }
    }
    const documentTitle = (title ?? imported?.title ?? file?.filename?.replace(/\.[^.]+$/, "") ?? "Untitled document").slice(0, 200) || "Untitled document";
    const document = await s.store.create(documentTitle, user.id);
    if (imported) {
      try {
        await s.history.fill(document.id, imported.content, user.id);
      } catch (error) {
        // Nothing half-made is left behind: the person tries again with the same file.
        await s.store.remove(document.id);
        s.logger.error({ err: error, userId: user.id, filename: file?.filename }, "importing into a new document failed; the document was removed");
        return historyFailure(error, { logger: s.logger, context: { route: "POST /api/documents", userId: user.id, filename: file?.filename } });
      }
    }
    return Response.json({ ...document, role: "owner" }, { status: 201, headers: { location: `/api/documents/${document.id}` } });
  });
}

const CONTENT_TYPES: Record<string, string> = {
  markdown: "text/markdown",
  html: "text/html",
  text: "text/plain",
  json: "application/json",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};

function fileOfContent(content: { format: string; data: unknown }): { bytes: Uint8Array; contentType: string } {
  const contentType = CONTENT_TYPES[content.format];
  if (content.format === "json") return { bytes: new TextEncoder().encode(JSON.stringify(content.data)), contentType };
  const data = String(content.data);
  return { bytes: content.format === "docx" ? new Uint8Array(Buffer.from(data, "base64")) : new TextEncoder().encode(data), contentType };
}
