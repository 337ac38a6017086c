import { errorResponse, handle, readBody, renameBody } from "../request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

const notFound = () => errorResponse(404, "document not found");

export function GET(_request: Request, { params }: Context): Promise<Response> {
  return handle("GET /api/documents/:id", async ({ store }) => {
    const document = await store.get((await params).id);
    return document ? Response.json(document) : notFound();
  });
}

export function PATCH(request: Request, { params }: Context): Promise<Response> {
  return handle("PATCH /api/documents/:id", async ({ store, announceRename }) => {
    const { id } = await params;
    const body = await readBody(request, renameBody);
    if ("response" in body) return (await store.get(id)) ? body.response : notFound();
    const document = await store.rename(id, body.value.title);
    if (!document) return notFound();
    announceRename(id, document.title);
    return Response.json(document);
  });
}

export function DELETE(_request: Request, { params }: Context): Promise<Response> {
  return handle("DELETE /api/documents/:id", async ({ store, closeDocument }) => {
    const { id } = await params;
    if (!(await store.remove(id))) return notFound();
    closeDocument(id);
    return new Response(null, { status: 204 });
  });
}
