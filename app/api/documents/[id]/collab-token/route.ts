import { handle, notFound } from "../../../request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** A short-lived token for the collaboration socket, bound to this user, document and role. */
export function POST(request: Request, { params }: Context): Promise<Response> {
  return handle("POST /api/documents/:id/collab-token", request, async ({ s, user }) => {
    const { id } = await params;
    const decision = await s.access.decide(user.id, id, "read");
    if (!decision.allowed) return notFound();
    const { token, expiresAt } = await s.collabTokens.issue({ userId: user.id, documentId: id, role: decision.role, name: user.name, color: user.color });
    return Response.json(
      { token, expiresAt: new Date(expiresAt).toISOString(), role: decision.role, user: { id: user.id, name: user.name, color: user.color } },
      { headers: { "cache-control": "no-store" } },
    );
  });
}
