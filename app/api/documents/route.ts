import { createBody, handle, readBody } from "../request";

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handle("GET /api/documents", request, async ({ s, user }) => {
    const roles = await s.access.documentsOf(user.id);
    const documents = await s.store.listByIds([...roles.keys()]);
    return Response.json({ documents: documents.map((document) => ({ ...document, role: roles.get(document.id) })) });
  });
}

export function POST(request: Request): Promise<Response> {
  return handle("POST /api/documents", request, async ({ s, user }) => {
    const body = await readBody(request, createBody);
    if ("response" in body) return body.response;
    const document = await s.store.create(body.value.title, user.id);
    return Response.json({ ...document, role: "owner" }, { status: 201, headers: { location: `/api/documents/${document.id}` } });
  });
}
