import { can } from "../../../../../server/access";
import { handle, notFound } from "../../../request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** Who has access. Every member may see it; only owners see the share links themselves. */
export function GET(request: Request, { params }: Context): Promise<Response> {
  return handle("GET /api/documents/:id/sharing", request, async ({ s, user }) => {
    const { id } = await params;
    const decision = await s.access.decide(user.id, id, "read");
    if (!decision.allowed) return notFound();
    return Response.json(await s.sharing.list(id, can(decision.role, "share")));
  });
}
