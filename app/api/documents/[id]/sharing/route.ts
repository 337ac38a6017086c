import { can } from "../../../../../server/accounts/access";
import { onDocument } from "../../../request";

export const dynamic = "force-dynamic";

/**
 * Who has access. Every member sees names and roles; only those who may share (owners) see email
 * addresses, pending invitations, the links people joined through and the share links themselves.
 */
export const GET = onDocument("GET /api/documents/:id/sharing", "read", async ({ s, params, role }) =>
  Response.json(await s.sharing.list(params.id, can(role, "share"))),
);
