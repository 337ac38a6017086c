import { z } from "zod";
import { readBody } from "../../../request";
import { onAdmin } from "../../admin";

export const dynamic = "force-dynamic";

const changeBody = z
  .object(
    {
      disabled: z.boolean({ error: "disabled must be true or false" }).optional(),
      isAdmin: z.boolean({ error: "isAdmin must be true or false" }).optional(),
    },
    { error: "body must be a JSON object" },
  )
  .refine((body) => body.disabled !== undefined || body.isAdmin !== undefined, "say what to change: disabled, isAdmin or both");

/** Disable or enable an account (closing its sockets at once), make or remove an admin. */
export const PATCH = onAdmin<{ userId: string }>("PATCH /api/admin/users/:userId", async ({ s, user, request, params }) => {
  const body = await readBody(request, changeBody);
  if ("response" in body) return body.response;
  const { disabled, isAdmin } = body.value;
  // An unknown id is a 404 before anything changes.
  await s.accounts.adminUserInfo(params.userId);
  if (isAdmin !== undefined) {
    await s.accounts.setAdminRole(params.userId, isAdmin);
    s.logger.info({ adminId: user.id, userId: params.userId, isAdmin }, "admin role changed");
  }
  if (disabled !== undefined) {
    const { sessionsDeleted } = await s.accounts.setDisabled(user.id, params.userId, disabled);
    if (disabled) s.collaboration.disconnectUser(params.userId, "account-disabled");
    s.logger.info({ adminId: user.id, userId: params.userId, disabled, sessionsDeleted }, disabled ? "account disabled" : "account enabled");
  }
  return Response.json(await s.accounts.adminUserInfo(params.userId));
});
