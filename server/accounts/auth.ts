import { APIError, betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { createAuthMiddleware } from "better-auth/api";
import type { Logger } from "pino";
import type { Accounts } from "./accounts.ts";
import { accountGuards } from "./account-guards.ts";
import { SignInThrottle } from "./sign-in-throttle.ts";
import { CLIENT_ADDRESS_HEADER } from "../http/client-address.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Sharing } from "./sharing.ts";
import type { Mailer } from "../email/mailer.ts";
import { existingAccountSignUpMail, passwordResetMail } from "../email/messages.ts";
import { ownOrigin } from "../email/invitation-delivery.ts";
import type { SignupPolicy } from "./signup-policy.ts";
import { EMAILED_RESET_LINK_TTL_SECONDS, resetPasswordUrl } from "./password-reset.ts";

/** Set by the server on every request from the socket (and TRUST_PROXY); whatever a client sends is overwritten. */

export const SIGNUP_CLOSED_MESSAGE = "Sign-up is by invitation only. Open the invitation link a document owner sent you, and create your account from there.";
export const SIGNUP_OFF_MESSAGE = "This Inkwell server is not accepting new accounts. Ask its admin if you need one.";
export const ACCOUNT_DISABLED_MESSAGE = "This account has been disabled by an admin of this Inkwell server. Ask them to enable it again.";
export const ACCOUNT_DISABLED_CODE = "ACCOUNT_DISABLED";

export interface AuthOptions {
  prisma: PrismaClient;
  accounts: Accounts;
  sharing: Sharing;
  logger: Logger;
  secret: string;
  appUrl?: string;
  allowedOrigins: string[];
  signup: SignupPolicy;
  mailer: Mailer;
}

/** Without APP_URL the app answers on loopback addresses only, on whatever port it was given. */
const LOOPBACK_HOSTS = ["localhost", "localhost:*", "127.0.0.1", "127.0.0.1:*", "[::1]", "[::1]:*"];

/** Email and password accounts with database sessions in httpOnly, SameSite cookies (Better Auth). */
export function createAuth({ prisma, accounts, sharing, logger, secret, appUrl, allowedOrigins, signup, mailer }: AuthOptions) {
  return betterAuth({
    appName: "Inkwell",
    database: prismaAdapter(prisma, { provider: "postgresql" }),
    secret,
    baseURL: appUrl ?? { allowedHosts: LOOPBACK_HOSTS, protocol: "http" },
    trustedOrigins: allowedOrigins,
    telemetry: { enabled: false },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      // Without a session from sign-up, Better Auth answers a sign-up with an existing account's
      // email exactly like a new one (a made-up user, no token) instead of "422 User already
      // exists"; the sign-up page signs in next.
      autoSignIn: false,
      onExistingUserSignUp: async ({ user }, request) => {
        if (!mailer.configured) return;
        const origin = appUrl ?? (request ? ownOrigin(request) : undefined);
        if (!origin) return void logger.warn({ userId: user.id }, "sign-up with an existing email: no address to link to, no email sent");
        // Not awaited: the answer must not take longer for an existing account than for a new one.
        void mailer.send(existingAccountSignUpMail({ to: user.email, signInUrl: new URL("/sign-in", origin).toString() }));
      },
      resetPasswordTokenExpiresIn: EMAILED_RESET_LINK_TTL_SECONDS,
      // A reset is for a password someone else may know: every session of the account ends.
      revokeSessionsOnPasswordReset: true,
      // Better Auth answers the same for unknown emails; this returns at once either way (the email
      // is sent in the background) so the time does not tell either. Without SMTP nothing can be
      // sent, and the forgot-password page says to ask an admin for a link instead.
      sendResetPassword: async ({ user, token }, request) => {
        if (!mailer.configured) return void logger.info({ userId: user.id }, "password reset asked for, but no SMTP_URL: nothing sent");
        if (await accounts.isDisabled(user.id)) return void logger.warn({ userId: user.id }, "password reset asked for a disabled account: nothing sent");
        const origin = appUrl ?? (request ? ownOrigin(request) : undefined);
        if (!origin) return void logger.warn({ userId: user.id }, "password reset: no address to link to, no email sent");
        void mailer.send(passwordResetMail({ to: user.email, url: resetPasswordUrl(origin, token), expiresInMinutes: EMAILED_RESET_LINK_TTL_SECONDS / 60 }));
      },
    },
    user: {
      additionalFields: {
        isAdmin: { type: "boolean", input: false, required: false, defaultValue: false },
        // Ours to set (Settings and the admin screen), never through Better Auth's update-user.
        color: { type: "string", input: false, required: false },
        disabledAt: { type: "date", input: false, required: false },
      },
    },
    // Sign-in throttle per account, failed sign-ins logged, name length, tokens revoked on a password change.
    plugins: [accountGuards({ accounts, throttle: new SignInThrottle(prisma), logger })],
    advanced: {
      cookiePrefix: "inkwell",
      defaultCookieAttributes: { sameSite: "lax", httpOnly: true },
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    logger: {
      level: "warn",
      log: (level, message, ...args) => logger[level === "debug" ? "debug" : level]({ args }, `auth: ${message}`),
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-up/email") return;
        const mode = await signup.mode();
        if (mode === "open") return;
        // Decided without looking at the email, so invited and uninvited addresses get the same
        // answer in the same time: holding a pending invitation link is what lets someone in.
        const invitationToken = ctx.body?.invitationToken;
        // The very first account may always be made: someone has to become the admin.
        if ((await accounts.userCount()) === 0) return;
        if (mode === "closed") throw new APIError("FORBIDDEN", { message: SIGNUP_OFF_MESSAGE, code: "SIGNUP_CLOSED" });
        if (typeof invitationToken === "string" && invitationToken && (await sharing.isPendingInvitationToken(invitationToken))) return;
        throw new APIError("FORBIDDEN", { message: SIGNUP_CLOSED_MESSAGE });
      }),
    },
    databaseHooks: {
      session: {
        create: {
          // Every way into a session passes here, after the password was checked: a disabled
          // account is told so only by someone who knows its password.
          before: async (session) => {
            if (!(await accounts.isDisabled(session.userId))) return;
            logger.warn({ userId: session.userId }, "sign-in refused: the account is disabled");
            throw new APIError("FORBIDDEN", { message: ACCOUNT_DISABLED_MESSAGE, code: ACCOUNT_DISABLED_CODE });
          },
          after: async (session) => {
            await accounts.recordSignIn(session.userId).catch((error) => logger.error({ err: error, userId: session.userId }, "could not record the sign-in time"));
          },
        },
      },
      user: {
        create: {
          after: async (user) => {
            if (await accounts.claimAdminIfFirst(user.id)) {
              const adopted = await sharing.adoptOwnerlessDocuments(user.id);
              logger.info({ userId: user.id, adopted }, "first account is the instance admin");
            }
            // Invitations are not accepted here: an unverified email proves nothing. The new account
            // accepts one by opening its link (/invite/<token>), which the sign-up page returns to.
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
