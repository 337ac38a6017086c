import { randomBytes } from "node:crypto";
import type { Auth } from "./auth.ts";

/** A link someone asked for by email is for now: an hour, Better Auth's default. */
export const EMAILED_RESET_LINK_TTL_SECONDS = 60 * 60;
/** A link an admin hands over may wait for the person to read a message: a day. */
export const ADMIN_RESET_LINK_TTL_SECONDS = 24 * 60 * 60;

/** Our reset page, which posts the token to Better Auth's /reset-password. */
export function resetPasswordUrl(origin: string, token: string): string {
  const url = new URL("/reset-password", origin);
  url.searchParams.set("token", token);
  return url.toString();
}

/**
 * A password-reset token for the user, stored the way Better Auth stores the ones it emails (its
 * own adapter, so its /reset-password accepts it and consumes it once).
 */
export async function issueResetToken(auth: Auth, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const context = await auth.$context;
  const token = randomBytes(18).toString("base64url");
  const expiresAt = new Date(Date.now() + ADMIN_RESET_LINK_TTL_SECONDS * 1000);
  await context.internalAdapter.createVerificationValue({ value: userId, identifier: `reset-password:${token}`, expiresAt });
  return { token, expiresAt };
}
