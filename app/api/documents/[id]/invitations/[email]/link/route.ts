import { deliverInvitation, ownOrigin } from "../../../../../../../server/email/invitation-delivery";
import { errorResponse, onDocument } from "../../../../../request";

export const dynamic = "force-dynamic";

/** A fresh one-time link for a pending invitation (emailed again with SMTP); the previous link stops working. */
export const POST = onDocument<{ id: string; email: string }>("POST /api/documents/:id/invitations/:email/link", "share", async ({ s, user, params, request }) => {
  const issued = await s.sharing.reissueInvitation(params.id, params.email);
  if (!issued) return errorResponse(404, "no such invitation");
  const document = await s.store.get(params.id);
  const invitation = await deliverInvitation({
    mailer: s.mailer,
    appUrl: s.appUrl,
    requestOrigin: ownOrigin(request),
    invitation: issued,
    inviterName: user.name,
    documentTitle: document?.title ?? "a document",
  });
  return Response.json({ invitation }, { status: 201 });
});
