import { historyFailure, momentParam } from "../../../history";
import { errorResponse, onDocument } from "../../../request";

export const dynamic = "force-dynamic";

/**
 * What changed between two moments (`from` and `to`: version ids or ISO 8601 times; `to` defaults
 * to now): the later document's rich text with insertions, deletions and formatting changes marked,
 * and who made them.
 */
export const GET = onDocument("GET /api/documents/:id/diff", "read", async ({ s, params, request, user }) => {
  const query = new URL(request.url).searchParams;
  const from = momentParam(query, "from");
  if ("response" in from) return from.response;
  if (!from.ref) return errorResponse(400, "from is required: a version id or an ISO 8601 date and time");
  const to = momentParam(query, "to");
  if ("response" in to) return to.response;
  try {
    return Response.json(await s.history.diff(params.id, from.ref, to.ref ?? { at: new Date() }));
  } catch (error) {
    return historyFailure(error, { logger: s.logger, context: { route: "GET /api/documents/:id/diff", documentId: params.id, userId: user.id } });
  }
});
