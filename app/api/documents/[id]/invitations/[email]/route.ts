import { errorResponse, onDocument } from "../../../../request";

export const dynamic = "force-dynamic";

export const DELETE = onDocument<{ id: string; email: string }>("DELETE /api/documents/:id/invitations/:email", "share", async ({ s, params }) => {
  const removed = await s.sharing.removeInvitation(params.id, decodeURIComponent(params.email));
  return removed ? new Response(null, { status: 204 }) : errorResponse(404, "no such invitation");
});
