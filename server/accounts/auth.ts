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

/** Set by the server on every request from the socket (and TRUST_PROXY); whatever a client sends is overwritten. */

export const SIGNUP_CLOSED_MESSAGE = "Sign-up is by invitation only. Ask a document owner to share a document with your email.";

export interface AuthOptions {
  prisma: PrismaClient;
  accounts: Accounts;
  sharing: Sharing;
  logger: Logger;
  secret: string;
  appUrl?: string;
  allowedOrigins: string[];
  allowSignup: boolean;
}

/** Without APP_URL the app answers on loopback addresses only, on whatever port it was given. */
const LOOPBACK_HOSTS = ["localhost", "localhost:*", "127.0.0.1", "127.0.0.1:*", "[::1]", "[::1]:*"];

/** Email and password accounts with database sessions in httpOnly, SameSite cookies (Better Auth). */
export function createAuth({ prisma, accounts, sharing, logger, secret, appUrl, allowedOrigins, allowSignup }: AuthOptions) {
  return betterAuth({
    appName: "Inkwell",
    database: prismaAdapter(prisma, { provider: "postgresql" }),
    secret,
    baseURL: appUrl ?? { allowedHosts: LOOPBACK_HOSTS, protocol: "http" },
    trustedOrigins: allowedOrigins,
    telemetry: { enabled: false },
    emailAndPassword: { enabled: true, minPasswordLength: 8, autoSignIn: true },
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
        const email = String(ctx.body?.email ?? "");
        // The very first account may always be made: someone has to become the admin.
        if ((await accounts.userCount()) === 0 || (await sharing.hasInvitation(email))) return;
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
            await sharing.acceptInvitations(user.id, user.email);
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
