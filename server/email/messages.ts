import type { Role } from "../accounts/access.ts";
import type { Mail } from "./mailer.ts";

/** The emails Inkwell sends, as plain text. */

const ARTICLE: Record<Role, string> = { owner: "an owner", editor: "an editor", viewer: "a viewer" };

export function invitationMail({ to, inviterName, documentTitle, role, url, expiresAt }: {
  to: string;
  inviterName: string;
  documentTitle: string;
  role: Role;
  url: string;
  expiresAt: Date;
}): Mail {
  return {
    to,
    subject: `${inviterName} shared “${documentTitle}” with you on Inkwell`,
    text: [
      `${inviterName} invited you to “${documentTitle}” as ${ARTICLE[role]}.`,
      "",
      `Open this link to accept (sign in or create an account first, with any address):`,
      url,
      "",
      `The link works once and until ${expiresAt.toUTCString()}. If you did not expect it, ignore this email.`,
    ].join("\n"),
  };
}

export function existingAccountSignUpMail({ to, signInUrl }: { to: string; signInUrl: string }): Mail {
  return {
    to,
    subject: "Someone tried to create an Inkwell account with your email",
    text: [
      "Someone tried to sign up for Inkwell with this email address, which already has an account.",
      "",
      `If it was you, sign in instead: ${signInUrl}`,
      "If you forgot your password, use “Forgot your password?” on the sign-in page, or ask your Inkwell admin for a reset link. If it was not you, you can ignore this email: nothing was changed.",
    ].join("\n"),
  };
}

export function passwordResetMail({ to, url, expiresInMinutes }: { to: string; url: string; expiresInMinutes: number }): Mail {
  return {
    to,
    subject: "Reset your Inkwell password",
    text: [
      "Someone (hopefully you) asked to reset the password of your Inkwell account.",
      "",
      "Open this link to choose a new password:",
      url,
      "",
      `The link works once, for ${expiresInMinutes >= 120 ? `${Math.round(expiresInMinutes / 60)} hours` : `${expiresInMinutes} minutes`}. Setting a new password signs you out everywhere.`,
      "If you did not ask for this, ignore this email: your password stays as it is.",
    ].join("\n"),
  };
}

export function adminResetMail({ to, url, adminName, expiresAt }: { to: string; url: string; adminName: string; expiresAt: Date }): Mail {
  return {
    to,
    subject: "A link to set your Inkwell password",
    text: [
      `${adminName}, an admin of your Inkwell server, made you a link to set a new password:`,
      url,
      "",
      `The link works once and until ${expiresAt.toUTCString()}. Setting a new password signs you out everywhere.`,
    ].join("\n"),
  };
}
