import { errorResponse, handle, quotaReached, readBody, tokenBody } from "../request";

export const dynamic = "force-dynamic";

const DAY_MS = 24 * 60 * 60 * 1000;

export function GET(request: Request): Promise<Response> {
  return handle("GET /api/tokens", request, async ({ s, user }) => Response.json({ tokens: await s.accounts.listApiTokens(user.id) }));
}

/** The token itself is in this answer only; the server keeps nothing but its hash. */
export function POST(request: Request): Promise<Response> {
  return handle("POST /api/tokens", request, async ({ s, user, apiToken }) => {
    // A leaked token must not be able to mint itself successors that outlive its revocation.
    if (apiToken) return errorResponse(403, "API tokens are created from a signed-in browser session (the Settings page), not with another token");
    const body = await readBody(request, tokenBody);
    if ("response" in body) return body.response;
    const quota = await s.quotas.mayCreateApiToken(user.id);
    if (!quota.allowed) return quotaReached(s, user.id, "API tokens", quota.retryAfterSeconds);
    const { name, scope, expiresInDays } = body.value;
    const expiresAt = body.value.expiresAt ?? (expiresInDays === null ? null : new Date(Date.now() + expiresInDays * DAY_MS));
    return Response.json(await s.accounts.createApiToken(user.id, name, { scope, expiresAt }), { status: 201, headers: { "cache-control": "no-store" } });
  });
}
