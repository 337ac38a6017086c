import { linkBody, onDocument, readBody } from "../../../request";

export const dynamic = "force-dynamic";

export const POST = onDocument("POST /api/documents/:id/links", "share", async ({ s, user, params, request }) => {
  const body = await readBody(request, linkBody);
  if ("response" in body) return body.response;
  return Response.json(await s.sharing.createLink(params.id, body.value.role, user.id), { status: 201 });
});
