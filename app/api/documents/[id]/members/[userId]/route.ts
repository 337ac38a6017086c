import { isSharingError } from "../../../../../../server/accounts/sharing";
import { errorResponse, onDocument, readBody, roleBody } from "../../../../request";

export const dynamic = "force-dynamic";

type Params = { id: string; userId: string };

/** Runs a membership change; a refused one (the last owner, say) answers with its reason. */
async function change(run: () => Promise<void>): Promise<Response | null> {
  try {
    await run();
    return null;
  } catch (error) {
    if (isSharingError(error)) return errorResponse(error.status, error.message);
    throw error;
  }
}

export const PATCH = onDocument<Params>("PATCH /api/documents/:id/members/:userId", "share", async ({ s, params, request }) => {
  const body = await readBody(request, roleBody);
  if ("response" in body) return body.response;
  const refused = await change(() => s.sharing.setRole(params.id, params.userId, body.value.role));
  if (refused) return refused;
  await s.collaboration.refreshAccess(params.id);
  return Response.json({ userId: params.userId, role: body.value.role });
});

export const DELETE = onDocument<Params>("DELETE /api/documents/:id/members/:userId", "share", async ({ s, params }) => {
  const refused = await change(() => s.sharing.removeMember(params.id, params.userId));
  if (refused) return refused;
  await s.collaboration.refreshAccess(params.id);
  return new Response(null, { status: 204 });
});
