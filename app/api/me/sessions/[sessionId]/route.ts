import { errorResponse, handle } from "../../../request";
import { BROWSER_ONLY } from "../messages";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ sessionId: string }> };

/** Signs out one of the caller's own sessions; anyone else's id is simply not found. */
export function DELETE(request: Request, { params }: Context): Promise<Response> {
  return handle("DELETE /api/me/sessions/:sessionId", request, async ({ s, user, apiToken }) => {
    if (apiToken) return errorResponse(403, BROWSER_ONLY);
    const { sessionId } = await params;
    const revoked = await s.sessions.revoke(request.headers, sessionId);
    if (revoked === null) return errorResponse(401, "sign in first");
    if (!revoked) return errorResponse(404, "you have no session with that id");
    s.logger.info({ userId: user.id, sessionId }, "signed out one session");
    return new Response(null, { status: 204 });
  });
}
