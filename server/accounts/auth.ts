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
import { existingAccountSignUpMail } from "../email/messages.ts";
import { ownOrigin } from "../email/invitation-delivery.ts";

/** Set by the server on every request from the socket (and TRUST_PROXY); whatever a client sends is overwritten. */

export const SIGNUP_CLOSED_MESSAGE = "Sign-up is by invitation only. Open the invitation link a document owner sent you, and create your account from there.";

export interface AuthOptions {
  prisma: PrismaClient;
  accounts: Accounts;
  sharing: Sharing;
  logger: Logger;
  secret: string;
  appUrl?: string;
  allowedOrigins: string[];
  allowSignup: boolean;
  mailer: Mailer;
}

/** Without APP_URL the app answers on loopback addresses only, on whatever port it was given. */
const LOOPBACK_HOSTS = ["localhost", "localhost:*", "127.0.0.1", "127.0.0.1:*", "[::1]", "[::1]:*"];

/** Email and password accounts with database sessions in httpOnly, SameSite cookies (Better Auth). */
export function createAuth({ prisma, accounts, sharing, logger, secret, appUrl, allowedOrigins, allowSignup, mailer }: AuthOptions) {
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
    },
    user: { additionalFields: { isAdmin: { type: "boolean", input: false, required: false, defaultValue: false } } },
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
        if (ctx.path !== "/sign-up/email" || allowSignup) return;
        // Decided without looking at the email, so invited and uninvited addresses get the same
        // answer in the same time: holding a pending invitation link is what lets someone in.
        const invitationToken = ctx.body?.invitationToken;
        // The very first account may always be made: someone has to become the admin.
        if ((await accounts.userCount()) === 0) return;
        if (typeof invitationToken === "string" && invitationToken && (await sharing.isPendingInvitationToken(invitationToken))) return;
        throw new APIError("FORBIDDEN", { message: SIGNUP_CLOSED_MESSAGE });
      }),
    },
    databaseHooks: {
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
