import { isUuid } from "../../../../../../server/documents/document-id";
import { errorResponse, onDocument } from "../../../../request";

export const dynamic = "force-dynamic";

/** Revoking a link ends the access of everyone who joined through it, open editors included. */
export const DELETE = onDocument<{ id: string; linkId: string }>("DELETE /api/documents/:id/links/:linkId", "share", async ({ s, params }) => {
  const joined = isUuid(params.linkId) ? await s.sharing.revokeLink(params.id, params.linkId) : null;
  if (!joined) return errorResponse(404, "no such link");
  await s.collaboration.refreshAccess(params.id);
  return new Response(null, { status: 204 });
});
