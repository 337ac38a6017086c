import { authorize, handle, notFound, readBody, renameBody } from "../../request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

export function GET(request: Request, { params }: Context): Promise<Response> {
  return handle("GET /api/documents/:id", request, async (caller) => {
    const { id } = await params;
    const decision = await caller.s.access.decide(caller.user.id, id, "read");
    if (!decision.allowed) return notFound();
    const document = await caller.s.store.get(id);
    return document ? Response.json({ ...document, role: decision.role }) : notFound();
  });
}

export function PATCH(request: Request, { params }: Context): Promise<Response> {
  return handle("PATCH /api/documents/:id", request, async (caller) => {
    const { id } = await params;
    const refused = await authorize(caller, id, "rename");
    if (refused) return refused;
    const body = await readBody(request, renameBody);
    if ("response" in body) return body.response;
    const document = await caller.s.store.rename(id, body.value.title);
    if (!document) return notFound();
    caller.s.collaboration.announceRename(id, document.title);
    return Response.json(document);
  });
}

export function DELETE(request: Request, { params }: Context): Promise<Response> {
  return handle("DELETE /api/documents/:id", request, async (caller) => {
    const { id } = await params;
    const refused = await authorize(caller, id, "delete");
    if (refused) return refused;
    if (!(await caller.s.store.remove(id))) return notFound();
    caller.s.collaboration.closeDocument(id);
    return new Response(null, { status: 204 });
  });
}
