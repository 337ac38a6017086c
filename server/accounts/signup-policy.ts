import type { PrismaClient } from "../generated/prisma/client.ts";

/**
 * Who may create an account:
 * - open: anyone;
 * - invitation: only holders of a pending invitation link (and the very first account);
 * - closed: nobody but the very first account, the one that becomes the admin.
 */
export const SIGNUP_MODES = ["open", "invitation", "closed"] as const;
export type SignupMode = (typeof SIGNUP_MODES)[number];

const KEY = "signup_mode";

export function isSignupMode(value: unknown): value is SignupMode {
  return typeof value === "string" && (SIGNUP_MODES as readonly string[]).includes(value);
}

/**
 * The mode an admin chose, kept in instance_settings so every server process follows it; until one
 * chooses, ALLOW_SIGNUP decides (false is invitation-only, as before there was a choice).
 */
export class SignupPolicy {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly allowSignupByDefault: boolean,
  ) {}

  async mode(): Promise<SignupMode> {
    const stored = await this.prisma.instanceSetting.findUnique({ where: { key: KEY } });
    if (isSignupMode(stored?.value)) return stored.value;
    return this.allowSignupByDefault ? "open" : "invitation";
  }

  async setMode(mode: SignupMode): Promise<void> {
    await this.prisma.instanceSetting.upsert({ where: { key: KEY }, create: { key: KEY, value: mode }, update: { value: mode } });
  }
}
