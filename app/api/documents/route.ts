import { createBody, handle, readBody } from "./request";

export const dynamic = "force-dynamic";

export function GET(): Promise<Response> {
  return handle("GET /api/documents", async ({ store }) => Response.json({ documents: await store.list() }));
}

export function POST(request: Request): Promise<Response> {
  return handle("POST /api/documents", async ({ store }) => {
    const body = await readBody(request, createBody);
    if ("response" in body) return body.response;
    const document = await store.create(body.value.title);
    return Response.json(document, { status: 201, headers: { location: `/api/documents/${document.id}` } });
  });
}
