import { errorResponse, handle, notFound, onDocument, readBody, renameBody } from "../../request";

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

const moveToTrash = onDocument("DELETE /api/documents/:id", "delete", async ({ s, params, user }) => {
  const trashed = await s.trash.moveToTrash(params.id, user.id);
  if (!trashed) return notFound();
  // Open editors are told at once; they reconnect and hear that the document is not found.
  s.collaboration.closeDocument(params.id);
  s.logger.info({ documentId: params.id, userId: user.id, purgeAt: trashed.purgeAt }, "document moved to the trash");
  return Response.json({ ...trashed, status: "trashed", restore: `/api/documents/${params.id}/restore` });
});

type Context = { params: Promise<{ id: string }> };

function deleteForever(request: Request, context: Context): Promise<Response> {
  return handle("DELETE /api/documents/:id?permanent=1", request, async ({ s, user }) => {
    const { id } = await context.params;
    const decision = await s.access.decideDeleteForever(user.id, id);
    if (!decision.allowed) return decision.status === 404 ? notFound() : errorResponse(403, `your role (${decision.role}) does not allow delete`);
    if (!(await s.trash.deleteForever(id))) return notFound();
    s.collaboration.closeDocument(id);
    s.logger.info({ documentId: id, userId: user.id }, "document deleted for good");
    return Response.json({ id, status: "deleted" });
  });
}

/**
 * Moves the document to the trash (owners), where its owners can restore it for TRASH_DAYS; with
 * `?permanent=1`, deletes it for good, from the trash or directly.
 */
export function DELETE(request: Request, context: Context): Promise<Response> {
  const permanent = new URL(request.url).searchParams.get("permanent");
  if (permanent === null) return moveToTrash(request, context);
  if (permanent === "1" || permanent === "true") return deleteForever(request, context);
  return Promise.resolve(errorResponse(400, "permanent must be 1 to delete the document for good, or left out to move it to the trash"));
}
