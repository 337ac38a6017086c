import { decodeCursor, encodeCursor } from "../../../server/documents/store";
import { createBody, errorResponse, handle, quotaReached, readBody } from "../request";

export const dynamic = "force-dynamic";

// A page of 100 is 40 KB of JSON; the review's 300 documents in one answer were 119 KB.
const DEFAULT_PAGE = 100;
const MAX_PAGE = 500;

/** The caller's documents, most recently edited first, a page at a time: `?limit=` and `?cursor=<nextCursor>`. */
export function GET(request: Request): Promise<Response> {
  return handle("GET /api/documents", request, async ({ s, user }) => {
    const query = new URL(request.url).searchParams;
    const limit = query.has("limit") ? Number(query.get("limit")) : DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) return errorResponse(400, `limit must be a whole number from 1 to ${MAX_PAGE}`);
    const cursorParam = query.get("cursor");
    const cursor = cursorParam ? decodeCursor(cursorParam) : undefined;
    if (cursor === null) return errorResponse(400, "cursor is not one this server gave out: pass nextCursor from the previous page");
    const roles = await s.access.documentsOf(user.id);
    const page = await s.store.pageByIds([...roles.keys()], limit, cursor);
    return Response.json({
      documents: page.documents.map((document) => ({ ...document, role: roles.get(document.id) })),
      nextCursor: page.nextCursor && encodeCursor(page.nextCursor),
    });
  });
}

export function POST(request: Request): Promise<Response> {
  return handle("POST /api/documents", request, async ({ s, user }) => {
    const body = await readBody(request, createBody);
    if ("response" in body) return body.response;
    const quota = await s.quotas.mayCreateDocument(user.id);
    if (!quota.allowed) return quotaReached(s, user.id, "documents", quota.retryAfterSeconds);
    const document = await s.store.create(body.value.title, user.id);
    return Response.json({ ...document, role: "owner" }, { status: 201, headers: { location: `/api/documents/${document.id}` } });
  });
}
