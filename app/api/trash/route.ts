import { handle } from "../request";

export const dynamic = "force-dynamic";

/**
 * The caller's trash: the documents they own that are in it, most recently deleted first, with when
 * and by whom, and when each will be deleted for good.
 */
export function GET(request: Request): Promise<Response> {
  return handle("GET /api/trash", request, async ({ s, user }) => {
    const documents = await s.trash.list(await s.access.trashOf(user.id));
    return Response.json({ documents, trashDays: s.trash.days });
  });
}
