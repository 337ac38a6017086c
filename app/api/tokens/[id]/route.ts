import { isUuid } from "../../../../server/documents/document-id";
import { errorResponse, handle } from "../../request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export function DELETE(request: Request, { params }: Context): Promise<Response> {
  return handle("DELETE /api/tokens/:id", request, async ({ s, user }) => {
    const { id } = await params;
    const revoked = isUuid(id) && (await s.accounts.revokeApiToken(user.id, id));
    return revoked ? new Response(null, { status: 204 }) : errorResponse(404, "no such token");
  });
}
