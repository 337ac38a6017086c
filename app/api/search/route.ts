import { errorResponse, handle } from "../request";

export const dynamic = "force-dynamic";

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 50;
/** Longer than any query a person types; a longer one is refused rather than quietly cut. */
const MAX_QUERY_LENGTH = 500;

/**
 * Full-text search over the titles and content of the caller's documents (those they can read,
 * through a role or a share link), best match first: `?q=` in web search syntax ("a phrase", or,
 * -word), `&limit=` up to 50. A read-only API token may search.
 */
export function GET(request: Request): Promise<Response> {
  return handle("GET /api/search", request, async ({ s, user }) => {
    const params = new URL(request.url).searchParams;
    const query = params.get("q")?.trim() ?? "";
    if (query === "") return errorResponse(400, "q is missing: give the words to search for, e.g. /api/search?q=budget");
    if (query.length > MAX_QUERY_LENGTH) return errorResponse(400, `q must be at most ${MAX_QUERY_LENGTH} characters`);
    const limit = params.has("limit") ? Number(params.get("limit")) : DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return errorResponse(400, `limit must be a whole number from 1 to ${MAX_LIMIT}`);
    const readable = await s.access.documentsOf(user.id);
    const results = await s.search.search([...readable.keys()], query, limit);
    return Response.json({ results });
  });
}
