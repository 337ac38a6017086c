import { handle, notFound } from "../../../request";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** Takes a document out of the trash (its owners); everyone's access is back as it was. */
export function POST(request: Request, { params }: Context): Promise<Response> {
  return handle("POST /api/documents/:id/restore", request, async ({ s, user }) => {
    const { id } = await params;
    // Not found for anyone but an owner of a document in the trash: it is not leaked that it exists.
    const decision = await s.access.decideInTrash(user.id, id);
    if (!decision.allowed || !(await s.trash.restore(id))) return notFound();
    s.logger.info({ documentId: id, userId: user.id }, "document restored from the trash");
    const document = await s.store.get(id);
    return document ? Response.json({ ...document, role: "owner" }) : notFound();
  });
}
