import { issueResetToken, resetPasswordUrl } from "../../../../../../server/accounts/password-reset";
import { ownOrigin } from "../../../../../../server/email/invitation-delivery";
import { adminResetMail } from "../../../../../../server/email/messages";
import { onAdmin } from "../../../admin";

export const dynamic = "force-dynamic";

/** A one-time link to set the user's password, shown to the admin this once and emailed when SMTP is set. */
export const POST = onAdmin<{ userId: string }>("POST /api/admin/users/:userId/password-reset", async ({ s, user, request, params }) => {
  const target = await s.accounts.adminUserInfo(params.userId);
  const { token, expiresAt } = await issueResetToken(s.auth, target.id);
  const url = resetPasswordUrl(s.appUrl ?? ownOrigin(request), token);
  const emailed = await s.mailer.send(adminResetMail({ to: target.email, url, adminName: user.name, expiresAt }));
  s.logger.info({ adminId: user.id, userId: target.id, emailed }, "password-reset link issued by an admin");
  return Response.json({ url, expiresAt: expiresAt.toISOString(), emailed }, { status: 201, headers: { "cache-control": "no-store" } });
});
