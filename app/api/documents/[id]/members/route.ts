import { authorize, handle, readBody, shareBody } from "../../../request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** Gives someone a role by email: at once if they have an account, as an invitation if not. */
export function POST(request: Request, { params }: Context): Promise<Response> {
  return handle("POST /api/documents/:id/members", request, async (caller) => {
    const { id } = await params;
    const refused = await authorize(caller, id, "share");
    if (refused) return refused;
    const body = await readBody(request, shareBody);
    if ("response" in body) return body.response;
    const result = await caller.s.sharing.share(id, body.value.email, body.value.role, caller.user.id);
    await caller.s.collaboration.refreshAccess(id);
    return Response.json(result, { status: 201 });
  });
}
