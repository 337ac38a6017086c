import { handle, readBody, tokenBody } from "../request";

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handle("GET /api/tokens", request, async ({ s, user }) => Response.json({ tokens: await s.accounts.listApiTokens(user.id) }));
}

/** The token itself is in this answer only; the server keeps nothing but its hash. */
export function POST(request: Request): Promise<Response> {
  return handle("POST /api/tokens", request, async ({ s, user }) => {
    const body = await readBody(request, tokenBody);
    if ("response" in body) return body.response;
    return Response.json(await s.accounts.createApiToken(user.id, body.value.name), { status: 201, headers: { "cache-control": "no-store" } });
  });
}
