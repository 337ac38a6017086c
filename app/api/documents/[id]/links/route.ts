import { authorize, handle, linkBody, readBody } from "../../../request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export function POST(request: Request, { params }: Context): Promise<Response> {
  return handle("POST /api/documents/:id/links", request, async (caller) => {
    const { id } = await params;
    const refused = await authorize(caller, id, "share");
    if (refused) return refused;
    const body = await readBody(request, linkBody);
    if ("response" in body) return body.response;
    return Response.json(await caller.s.sharing.createLink(id, body.value.role, caller.user.id), { status: 201 });
  });
}
