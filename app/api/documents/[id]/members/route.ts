import { onDocument, readBody, shareBody } from "../../../request";

export const dynamic = "force-dynamic";

/** Gives someone a role by email: at once if they have an account, as an invitation if not. */
export const POST = onDocument("POST /api/documents/:id/members", "share", async ({ s, user, params, request }) => {
  const body = await readBody(request, shareBody);
  if ("response" in body) return body.response;
  const result = await s.sharing.share(params.id, body.value.email, body.value.role, user.id);
  await s.collaboration.refreshAccess(params.id);
  return Response.json(result, { status: 201 });
});
