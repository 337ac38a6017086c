import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, isAPIError } from "better-auth/api";
import type { Logger } from "pino";
import { CLIENT_ADDRESS_HEADER } from "../http/client-address.ts";
import { type Accounts, NAME_TOO_LONG_MESSAGE, nameTooLong } from "./accounts.ts";
import { normalizeEmail, type SignInThrottle } from "./sign-in-throttle.ts";

export const SIGN_IN_THROTTLED_CODE = "TOO_MANY_SIGN_IN_ATTEMPTS";

interface GuardOptions {
  accounts: Accounts;
  throttle: SignInThrottle;
  logger: Logger;
}

type HookContext = { headers?: Headers; body?: unknown };

const addressOf = (ctx: HookContext) => ctx.headers?.get(CLIENT_ADDRESS_HEADER) ?? "unknown";
const bodyField = (ctx: HookContext, field: string): unknown =>
  ctx.body && typeof ctx.body === "object" ? (ctx.body as Record<string, unknown>)[field] : undefined;

/**
 * Inkwell's checks around Better Auth's own endpoints, as a plugin so they stay apart from the
 * sign-up gating in auth.ts's hooks:
 * - a per-account sign-in throttle (Better Auth limits per address only), and a log line for every
 *   failed sign-in with the client address and the email (never the password);
 * - display names capped at MAX_NAME_LENGTH at sign-up and profile update;
 * - `revokeApiTokens: true` on /change-password revokes every personal API token of the user.
 */
export function accountGuards({ accounts, throttle, logger }: GuardOptions): BetterAuthPlugin {
  return {
    id: "inkwell-account-guards",
    hooks: {
      before: [
        {
          matcher: (ctx) => ctx.path === "/sign-in/email",
          handler: createAuthMiddleware(async (ctx) => {
            const email = normalizeEmail(bodyField(ctx, "email"));
            // No email: Better Auth's own validation answers 400, and no account is at stake.
            if (!email) return;
            const verdict = await throttle.attempt(email);
            if (verdict.allowed) return;
            logger.warn({ address: addressOf(ctx), email, retryAfterSeconds: verdict.retryAfterSeconds }, "sign-in refused: too many attempts for this account");
            throw new APIError(
              "TOO_MANY_REQUESTS",
              {
                message: `Too many sign-in attempts for this account. Try again in ${Math.ceil(verdict.retryAfterSeconds / 60)} minutes.`,
                code: SIGN_IN_THROTTLED_CODE,
              },
              { "Retry-After": String(verdict.retryAfterSeconds) },
            );
          }),
        },
        {
          matcher: (ctx) => ctx.path === "/sign-up/email" || ctx.path === "/update-user",
          handler: createAuthMiddleware(async (ctx) => {
            const name = bodyField(ctx, "name");
            if (name === undefined) return;
            if (typeof name !== "string") throw new APIError("BAD_REQUEST", { message: "name must be a string", code: "INVALID_NAME" });
            if (nameTooLong(name)) throw new APIError("BAD_REQUEST", { message: NAME_TOO_LONG_MESSAGE, code: "NAME_TOO_LONG" });
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => ctx.path === "/sign-in/email",
          handler: createAuthMiddleware(async (ctx) => {
            const email = normalizeEmail(bodyField(ctx, "email"));
            if (!email) return;
            const returned = ctx.context.returned;
            if (isAPIError(returned)) {
              if (returned.statusCode === 401) logger.warn({ address: addressOf(ctx), email }, "sign-in failed: wrong email or password");
              return;
            }
            await throttle.reset(email);
          }),
        },
        {
          matcher: (ctx) => ctx.path === "/change-password",
          handler: createAuthMiddleware(async (ctx) => {
            const returned = ctx.context.returned as { user?: { id?: unknown } } | undefined;
            if (bodyField(ctx, "revokeApiTokens") !== true || isAPIError(returned) || typeof returned?.user?.id !== "string") return;
            const revoked = await accounts.revokeAllApiTokens(returned.user.id);
            logger.info({ userId: returned.user.id, revoked }, "password changed: every personal API token revoked");
          }),
        },
      ],
    },
  };
}
