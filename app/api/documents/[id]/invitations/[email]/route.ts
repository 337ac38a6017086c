import { authorize, errorResponse, handle } from "../../../../request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string; email: string }> };

export function DELETE(request: Request, { params }: Context): Promise<Response> {
  return handle("DELETE /api/documents/:id/invitations/:email", request, async (caller) => {
    const { id, email } = await params;
    const refused = await authorize(caller, id, "share");
    if (refused) return refused;
    const removed = await caller.s.sharing.removeInvitation(id, decodeURIComponent(email));
    return removed ? new Response(null, { status: 204 }) : errorResponse(404, "no such invitation");
  });
}
