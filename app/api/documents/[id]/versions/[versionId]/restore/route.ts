import { historyFailure } from "../../../../../history";
import { onDocument } from "../../../../../request";

export const dynamic = "force-dynamic";

/**
 * Restores a version as a forward change to the live document; answers once it is committed, with the
 * "before restore" version that undoes it.
 */
export const POST = onDocument<{ id: string; versionId: string }>("POST /api/documents/:id/versions/:versionId/restore", "write", async ({ s, params, user }) => {
  try {
    const before = await s.history.restore(params.id, params.versionId, user.id);
    return Response.json({ restored: true, before });
  } catch (error) {
    return historyFailure(error, { logger: s.logger, context: { route: "restore", documentId: params.id, versionId: params.versionId, userId: user.id } });
  }
});
