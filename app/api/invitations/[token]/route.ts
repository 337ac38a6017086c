import { isSharingError } from "../../../../server/accounts/sharing";
import { errorResponse, handle } from "../../request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ token: string }> };

/**
 * Accepting an invitation: whoever holds its one-time link (and so received it) gets its role on
 * the document, and the link is used up. Unknown answers 404, used or expired 410.
 */
export function POST(request: Request, { params }: Context): Promise<Response> {
  return handle("POST /api/invitations/:token", request, async ({ s, user }) => {
    const { token } = await params;
    try {
      const accepted = await s.sharing.acceptInvitation(token, user.id);
      await s.collaboration.refreshAccess(accepted.documentId);
      s.logger.info({ documentId: accepted.documentId, userId: user.id, role: accepted.role }, "invitation accepted");
      return Response.json({ url: `/d/${accepted.documentId}`, role: accepted.role });
    } catch (error) {
      if (isSharingError(error)) return errorResponse(error.status, error.message);
      throw error;
    }
  });
}
