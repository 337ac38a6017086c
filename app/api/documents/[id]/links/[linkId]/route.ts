import { authorize, errorResponse, handle } from "../../../../request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string; linkId: string }> };

/** Revoking a link ends the access of everyone who joined through it, open editors included. */
export function DELETE(request: Request, { params }: Context): Promise<Response> {
  return handle("DELETE /api/documents/:id/links/:linkId", request, async (caller) => {
    const { id, linkId } = await params;
    const refused = await authorize(caller, id, "share");
    if (refused) return refused;
    const joined = await caller.s.sharing.revokeLink(id, linkId).catch(() => null);
    if (!joined) return errorResponse(404, "no such link");
    await caller.s.collaboration.refreshAccess(id);
    return new Response(null, { status: 204 });
  });
}
