import { errorResponse, handle } from "../../request";
import { BROWSER_ONLY } from "./messages";

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handle("GET /api/me/sessions", request, async ({ s, apiToken }) => {
    if (apiToken) return errorResponse(403, BROWSER_ONLY);
    const sessions = await s.sessions.list(request.headers);
    if (!sessions) return errorResponse(401, "sign in first");
    return Response.json({ sessions }, { headers: { "cache-control": "no-store" } });
  });
}

/** Signs out every other session of the caller; this one stays. */
export function DELETE(request: Request): Promise<Response> {
  return handle("DELETE /api/me/sessions", request, async ({ s, user, apiToken }) => {
    if (apiToken) return errorResponse(403, BROWSER_ONLY);
    if (!(await s.sessions.revokeOthers(request.headers))) return errorResponse(401, "sign in first");
    s.logger.info({ userId: user.id }, "signed out of every other session");
    return new Response(null, { status: 204 });
  });
}
