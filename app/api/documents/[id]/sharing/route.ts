import { can } from "../../../../../server/accounts/access";
import { onDocument } from "../../../request";

export const dynamic = "force-dynamic";

/** Who has access. Every member may see it; only those who may share see the share links themselves. */
export const GET = onDocument("GET /api/documents/:id/sharing", "read", async ({ s, params, role }) =>
  Response.json(await s.sharing.list(params.id, can(role, "share"))),
);
