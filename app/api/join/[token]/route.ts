import { isSharingError } from "../../../../server/accounts/sharing";
import { errorResponse, handle } from "../../request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ token: string }> };

/** Opening a share link: the signed-in caller gets the link's role for as long as the link lives. */
export function POST(request: Request, { params }: Context): Promise<Response> {
  return handle("POST /api/join/:token", request, async ({ s, user }) => {
    const { token } = await params;
    let redeemed;
    try {
      redeemed = await s.sharing.redeemLink(token, user.id);
    } catch (error) {
      // Someone an owner removed from the document: its links do not let them back in.
      if (isSharingError(error)) return errorResponse(error.status, error.message);
      throw error;
    }
    if (!redeemed) return errorResponse(404, "this link does not exist or was revoked");
    const role = await s.access.roleOf(user.id, redeemed.documentId);
    await s.collaboration.refreshAccess(redeemed.documentId);
    return Response.json({ url: `/d/${redeemed.documentId}`, role });
  });
}
