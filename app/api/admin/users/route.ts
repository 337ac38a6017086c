import { onAdmin } from "../admin";

export const dynamic = "force-dynamic";

export const GET = onAdmin("GET /api/admin/users", async ({ s }) =>
  Response.json({ users: await s.accounts.listUsers() }, { headers: { "cache-control": "no-store" } }),
);
