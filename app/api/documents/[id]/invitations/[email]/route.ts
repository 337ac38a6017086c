import { errorResponse, onDocument } from "../../../../request";

export const dynamic = "force-dynamic";

/** Cancels a pending invitation; its link stops working. `email` arrives already decoded by Next. */
export const DELETE = onDocument<{ id: string; email: string }>("DELETE /api/documents/:id/invitations/:email", "share", async ({ s, params }) => {
  const removed = await s.sharing.removeInvitation(params.id, params.email);
  return removed ? new Response(null, { status: 204 }) : errorResponse(404, "no such invitation");
});
