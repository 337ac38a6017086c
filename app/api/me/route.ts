import { handle } from "../request";

export const dynamic = "force-dynamic";

export function GET(request: Request): Promise<Response> {
  return handle("GET /api/me", request, async ({ user }) => Response.json(user));
}
