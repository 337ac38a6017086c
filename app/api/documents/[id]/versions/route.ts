import { historyFailure, versionNameBody } from "../../../history";
import { onDocument, readBody } from "../../../request";

export const dynamic = "force-dynamic";

/** The document's versions, newest first, each with its authors. */
export const GET = onDocument("GET /api/documents/:id/versions", "read", async ({ s, params }) => {
  return Response.json({ versions: await s.history.versions(params.id) });
});

/** "Name this version": a named version of the document as it is now (editors and owners). */
export const POST = onDocument("POST /api/documents/:id/versions", "write", async ({ s, params, request, user }) => {
  const body = await readBody(request, versionNameBody);
  if ("response" in body) return body.response;
  try {
    const version = await s.history.nameVersion(params.id, user.id, body.value.name);
    return Response.json({ version }, { status: 201 });
  } catch (error) {
    return historyFailure(error, { logger: s.logger, context: { route: "POST /api/documents/:id/versions", documentId: params.id, userId: user.id } });
  }
});
