import type { IssuedInvitation } from "../accounts/sharing.ts";
import type { Mailer } from "./mailer.ts";
import { invitationMail } from "./messages.ts";

export interface DeliveredInvitation extends Omit<IssuedInvitation, "path"> {
  /** The one-time link, absolute; shown to the owner this once. */
  url: string;
  /** Whether it went out by email (SMTP configured and accepted); otherwise the owner passes it on. */
  emailed: boolean;
}

/**
 * Without APP_URL the app's own origin is the host the browser asked for, over http on loopback (as
 * server/http/origin.ts judges it); Next's `request.url` names its own bind address instead.
 */
export function ownOrigin(request: Request): string {
  const host = request.headers.get("host");
  return host ? `http://${host}` : new URL(request.url).origin;
}

/**
 * Emails a freshly issued invitation link when the instance can send email. The link points at
 * APP_URL, or without it at the origin the owner is using, which is where the invitee must go too.
 */
export async function deliverInvitation({ mailer, appUrl, requestOrigin, invitation, inviterName, documentTitle }: {
  mailer: Mailer;
  appUrl?: string;
  requestOrigin: string;
  invitation: IssuedInvitation;
  inviterName: string;
  documentTitle: string;
}): Promise<DeliveredInvitation> {
  const { path, ...info } = invitation;
  const url = new URL(path, appUrl ?? requestOrigin).toString();
  const emailed = await mailer.send(
    invitationMail({ to: invitation.email, inviterName, documentTitle, role: invitation.role, url, expiresAt: new Date(invitation.expiresAt) }),
  );
  return { ...info, url, emailed };
}
