import type { PrismaClient } from "../generated/prisma/client.ts";

/** Sign-in attempts one account (one email) gets per window, from whatever addresses they come. */
export const SIGN_IN_ATTEMPTS_PER_WINDOW = 5;
export const SIGN_IN_WINDOW_SECONDS = 15 * 60;
// Rows of windows long over are cleared now and then, so guessing many emails cannot grow the table for ever.
const SWEEP_EVERY_ATTEMPTS = 100;

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function normalizeEmail(value: unknown): string | null {
  return typeof value === "string" && value.trim() ? value.trim().toLowerCase() : null;
}

/**
 * A per-account limit on sign-in attempts, kept in the database so it holds across server processes
 * and restarts (Better Auth's own limit is per client address, in memory). Every attempt is counted
 * before the password is checked, in one statement, so concurrent attempts cannot slip past the
 * count; a successful sign-in clears it.
 */
export class SignInThrottle {
  private attemptsSinceSweep = 0;

  constructor(private readonly prisma: PrismaClient) {}

  async attempt(email: string): Promise<ThrottleVerdict> {
    const [row] = await this.prisma.$queryRaw<{ attempts: number; retry_after: number }[]>`
      INSERT INTO "sign_in_throttles" ("email", "attempts", "window_started_at") VALUES (${email}, 1, now())
      ON CONFLICT ("email") DO UPDATE SET
        "attempts" = CASE WHEN "sign_in_throttles"."window_started_at" <= now() - ${SIGN_IN_WINDOW_SECONDS}::int * interval '1 second'
                          THEN 1 ELSE "sign_in_throttles"."attempts" + 1 END,
        "window_started_at" = CASE WHEN "sign_in_throttles"."window_started_at" <= now() - ${SIGN_IN_WINDOW_SECONDS}::int * interval '1 second'
                                   THEN now() ELSE "sign_in_throttles"."window_started_at" END
      RETURNING "attempts",
        ceil(extract(epoch FROM ("window_started_at" + ${SIGN_IN_WINDOW_SECONDS}::int * interval '1 second' - now())))::int AS "retry_after"`;
    if (++this.attemptsSinceSweep >= SWEEP_EVERY_ATTEMPTS) {
      this.attemptsSinceSweep = 0;
      await this.prisma.$executeRaw`
        DELETE FROM "sign_in_throttles" WHERE "window_started_at" <= now() - ${SIGN_IN_WINDOW_SECONDS}::int * interval '1 second'`;
    }
    if (Number(row.attempts) <= SIGN_IN_ATTEMPTS_PER_WINDOW) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Number(row.retry_after)) };
  }

  /** After a successful sign-in: the account's count starts afresh. */
  async reset(email: string): Promise<void> {
    await this.prisma.signInThrottle.deleteMany({ where: { email } });
  }
}
