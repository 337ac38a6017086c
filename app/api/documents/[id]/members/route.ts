import { isSharingError } from "../../../../../server/accounts/sharing";
import { deliverInvitation, ownOrigin } from "../../../../../server/email/invitation-delivery";
import { errorResponse, onDocument, readBody, shareBody } from "../../../request";

export const dynamic = "force-dynamic";

/**
 * Gives someone a role by email: at once if they have an account, otherwise an invitation whose
 * one-time link is emailed (with SMTP) and answered here, once, for the owner to pass on.
 */
export const POST = onDocument("POST /api/documents/:id/members", "share", async ({ s, user, params, request }) => {
  const body = await readBody(request, shareBody);
  if ("response" in body) return body.response;
  let result;
  try {
    result = await s.sharing.share(params.id, body.value.email, body.value.role, user.id);
  } catch (error) {
    // Demoting the last owner by sharing again with their email.
    if (isSharingError(error)) return errorResponse(error.status, error.message);
    throw error;
  }
  if ("member" in result) {
    await s.collaboration.refreshAccess(params.id);
    return Response.json(result, { status: 201 });
  }
  const document = await s.store.get(params.id);
  const invitation = await deliverInvitation({
    mailer: s.mailer,
    appUrl: s.appUrl,
    requestOrigin: ownOrigin(request),
    invitation: result.invitation,
    inviterName: user.name,
    documentTitle: document?.title ?? "a document",
  });
  return Response.json({ invitation }, { status: 201 });
});
