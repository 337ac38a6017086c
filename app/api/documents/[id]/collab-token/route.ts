import { onDocument } from "../../../request";

export const dynamic = "force-dynamic";

/** A short-lived token for the collaboration socket, bound to this user, document and role. */
export const POST = onDocument("POST /api/documents/:id/collab-token", "read", async ({ s, user, params, role }) => {
  const { token, expiresAt } = await s.collabTokens.issue({ userId: user.id, documentId: params.id, role, name: user.name, color: user.color });
  return Response.json(
    { token, expiresAt: new Date(expiresAt).toISOString(), role, user: { id: user.id, name: user.name, color: user.color } },
    { headers: { "cache-control": "no-store" } },
  );
});
