import { isSharingError } from "../../../../../../server/sharing";
import { authorize, errorResponse, handle, readBody, roleBody } from "../../../../request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string; userId: string }> };

export function PATCH(request: Request, { params }: Context): Promise<Response> {
  return handle("PATCH /api/documents/:id/members/:userId", request, async (caller) => {
    const { id, userId } = await params;
    const refused = await authorize(caller, id, "share");
    if (refused) return refused;
    const body = await readBody(request, roleBody);
    if ("response" in body) return body.response;
    try {
      await caller.s.sharing.setRole(id, userId, body.value.role);
    } catch (error) {
      if (isSharingError(error)) return errorResponse(error.status, error.message);
      throw error;
    }
    await caller.s.collaboration.refreshAccess(id);
    return Response.json({ userId, role: body.value.role });
  });
}

export function DELETE(request: Request, { params }: Context): Promise<Response> {
  return handle("DELETE /api/documents/:id/members/:userId", request, async (caller) => {
    const { id, userId } = await params;
    const refused = await authorize(caller, id, "share");
    if (refused) return refused;
    try {
      await caller.s.sharing.removeMember(id, userId);
    } catch (error) {
      if (isSharingError(error)) return errorResponse(error.status, error.message);
      throw error;
    }
    await caller.s.collaboration.refreshAccess(id);
    return new Response(null, { status: 204 });
  });
}
