import { notFound, onDocument, readBody, renameBody } from "../../request";

export const dynamic = "force-dynamic";

export const GET = onDocument("GET /api/documents/:id", "read", async ({ s, params, role }) => {
  const document = await s.store.get(params.id);
  return document ? Response.json({ ...document, role }) : notFound();
});

export const PATCH = onDocument("PATCH /api/documents/:id", "rename", async ({ s, params, request }) => {
  const body = await readBody(request, renameBody);
  if ("response" in body) return body.response;
  const document = await s.store.rename(params.id, body.value.title);
  if (!document) return notFound();
  s.collaboration.announceRename(params.id, document.title);
  return Response.json(document);
});

export const DELETE = onDocument("DELETE /api/documents/:id", "delete", async ({ s, params }) => {
  if (!(await s.store.remove(params.id))) return notFound();
  s.collaboration.closeDocument(params.id);
  return new Response(null, { status: 204 });
});
