import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { PERSON_COLORS } from "./colors.ts";

/** Users as the rest of the server sees them, and the personal API tokens that stand for them. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  color: string;
  isAdmin: boolean;
}

/** "read": GET requests only (and viewer collaboration tokens); "read-write": everything the user may do. */
export const TOKEN_SCOPES = ["read", "read-write"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface ApiTokenInfo {
  id: string;
  name: string;
  prefix: string;
  scope: TokenScope;
  createdAt: string;
  lastUsedAt: string | null;
  /** Null: the token never expires. */
  expiresAt: string | null;
}

/** The user behind a valid API token, and what the token lets them do. */
export interface TokenHolder {
  user: SessionUser;
  tokenId: string;
  scope: TokenScope;
}

/** Display names longer than this are refused wherever a name is set (presence frames carry it to everyone). */
export const MAX_NAME_LENGTH = 80;
export const NAME_TOO_LONG_MESSAGE = `name must be at most ${MAX_NAME_LENGTH} characters`;

/** Counted in characters as people see them (code points), not UTF-16 units. */
export function nameTooLong(name: string): boolean {
  return name.length > MAX_NAME_LENGTH && Array.from(name).length > MAX_NAME_LENGTH;
}

/**
 * A writer's colour until they choose one follows from their account, so it is the same in every tab
 * and on every device. The palette passes contrast with white initials (see colors.ts).
 */
export function colorFor(userId: string): string {
  const digest = createHash("sha256").update(userId).digest();
  return PERSON_COLORS[digest[0] % PERSON_COLORS.length];
}

/** The colour someone chose, or the one derived from their id. */
export function colorOf(user: { id: string; color?: string | null }): string {
  return user.color || colorFor(user.id);
}

export function toSessionUser(user: { id: string; email: string; name: string; isAdmin?: boolean | null; color?: string | null }): SessionUser {
  return { id: user.id, email: user.email, name: user.name, color: colorOf(user), isAdmin: Boolean(user.isAdmin) };
}

/** A user as the admin screen lists them. */
export interface AdminUserInfo {
  id: string;
  name: string;
  email: string;
  color: string;
  isAdmin: boolean;
  createdAt: string;
  lastSignedInAt: string | null;
  /** Null: the account works. */
  disabledAt: string | null;
}

export class AccountError extends Error {
  override name = "AccountError";

  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/** Recognised by shape: route handlers hold their own copy of this module (see isSharingError). */
export function isAccountError(error: unknown): error is AccountError {
  return error instanceof Error && error.name === "AccountError" && typeof (error as AccountError).status === "number";
}

export const NO_SUCH_USER = "there is no such user";
export const LAST_ADMIN = "This is the last admin: make someone else an admin first, so the instance keeps one.";
export const CANNOT_DISABLE_SELF = "You cannot disable your own account: ask another admin.";

const TOKEN_PREFIX = "iwk_";
const SECRET_KEY = "auth_secret";
// A last-used time accurate to the minute is enough, and saves a write on every request.
const LAST_USED_RESOLUTION_MS = 60_000;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export class Accounts {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * The instance's signing secret: AUTH_SECRET when given, otherwise one generated on first start and
   * kept in the database, so every server process on that database signs alike.
   */
  async instanceSecret(configured: string | undefined): Promise<string> {
    if (configured) return configured;
    const generated = randomBytes(32).toString("base64url");
    await this.prisma.instanceSetting.upsert({ where: { key: SECRET_KEY }, create: { key: SECRET_KEY, value: generated }, update: {} });
    const stored = await this.prisma.instanceSetting.findUniqueOrThrow({ where: { key: SECRET_KEY } });
    return stored.value;
  }

  /**
   * Replaces the generated secret and deletes every session, in one transaction. Collaboration tokens
   * signed with the old secret stop verifying once each server has restarted and read the new one.
   * Returns how many sessions were deleted.
   */
  async rotateInstanceSecret(): Promise<{ sessionsDeleted: number }> {
    const value = randomBytes(32).toString("base64url");
    const [, deleted] = await this.prisma.$transaction([
      this.prisma.instanceSetting.upsert({ where: { key: SECRET_KEY }, create: { key: SECRET_KEY, value }, update: { value } }),
      this.prisma.session.deleteMany({}),
    ]);
    return { sessionsDeleted: deleted.count };
  }

  /** Names and colours of the given accounts, as history and presence show them; deleted ones are absent. */
  async people(ids: string[]): Promise<Map<string, { id: string; name: string; color: string }>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const users = await this.prisma.user.findMany({ where: { id: { in: unique } }, select: { id: true, name: true, color: true } });
    return new Map(users.map((user) => [user.id, { id: user.id, name: user.name, color: colorOf(user) }]));
  }

  async findByEmail(email: string): Promise<SessionUser | null> {
    const user = await this.prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
    return user ? toSessionUser(user) : null;
  }

  async userCount(): Promise<number> {
    return this.prisma.user.count();
  }

  /** Makes this user the instance admin if there is none yet: the first account of a fresh install. */
  async claimAdminIfFirst(userId: string): Promise<boolean> {
    const { count } = await this.prisma.user.updateMany({
      where: { id: userId, NOT: { isAdmin: true } },
      data: { isAdmin: true },
    });
    if (count === 0) return false;
    const admins = await this.prisma.user.findMany({ where: { isAdmin: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    // Two first sign-ups at once: the earliest keeps it.
    if (admins[0].id !== userId) {
      await this.prisma.user.update({ where: { id: userId }, data: { isAdmin: false } });
      return false;
    }
    return true;
  }

  async setAdmin(userId: string): Promise<void> {
    await this.prisma.user.update({ where: { id: userId }, data: { isAdmin: true } });
  }

  /** The user's own name and colour; a null colour goes back to the derived one. Checked by the caller. */
  async updateProfile(userId: string, change: { name?: string; color?: string | null }): Promise<SessionUser> {
    const user = await this.prisma.user.update({ where: { id: userId }, data: change });
    return toSessionUser(user);
  }

  async isDisabled(userId: string): Promise<boolean> {
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { disabledAt: true } });
    return Boolean(user?.disabledAt);
  }

  async recordSignIn(userId: string): Promise<void> {
    await this.prisma.user.update({ where: { id: userId }, data: { lastSignedInAt: new Date() } });
  }

  async listUsers(): Promise<AdminUserInfo[]> {
    const users = await this.prisma.user.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    return users.map(toAdminUserInfo);
  }

  async adminUserInfo(userId: string): Promise<AdminUserInfo> {
    const user = await this.prisma.user.findUnique({ where: { id: userId } });
    if (!user) throw new AccountError(404, NO_SUCH_USER);
    return toAdminUserInfo(user);
  }

  /**
   * Disables an account and deletes its sessions in one transaction, or enables it again. The caller
   * closes the user's sockets. An admin cannot disable themselves, nor the last admin who can act.
   */
  async setDisabled(actorId: string, userId: string, disabled: boolean): Promise<{ sessionsDeleted: number }> {
    if (disabled && actorId === userId) throw new AccountError(409, CANNOT_DISABLE_SELF);
    return this.prisma.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: userId } });
      if (!user) throw new AccountError(404, NO_SUCH_USER);
      if (!disabled) {
        await tx.user.update({ where: { id: userId }, data: { disabledAt: null } });
        return { sessionsDeleted: 0 };
      }
      if (user.disabledAt) return { sessionsDeleted: 0 };
      if (user.isAdmin) await lockAdmins(tx);
      if (user.isAdmin && (await tx.user.count({ where: { isAdmin: true, disabledAt: null } })) <= 1) throw new AccountError(409, LAST_ADMIN);
      await tx.user.update({ where: { id: userId }, data: { disabledAt: new Date() } });
      const { count } = await tx.session.deleteMany({ where: { userId } });
      return { sessionsDeleted: count };
    });
  }

  /** Makes a user an admin or not; the instance always keeps one admin whose account works. */
  async setAdminRole(userId: string, isAdmin: boolean): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: userId } });
      if (!user) throw new AccountError(404, NO_SUCH_USER);
      if (!isAdmin && user.isAdmin) await lockAdmins(tx);
      if (!isAdmin && user.isAdmin && !user.disabledAt && (await tx.user.count({ where: { isAdmin: true, disabledAt: null } })) <= 1) {
        throw new AccountError(409, LAST_ADMIN);
      }
      await tx.user.update({ where: { id: userId }, data: { isAdmin } });
    });
  }

  async createApiToken(
    userId: string,
    name: string,
    { scope = "read-write", expiresAt = null }: { scope?: TokenScope; expiresAt?: Date | null } = {},
  ): Promise<ApiTokenInfo & { token: string }> {
    const token = `${TOKEN_PREFIX}${randomBytes(24).toString("base64url")}`;
    const row = await this.prisma.apiToken.create({
      data: { id: randomUUID(), userId, name, tokenHash: hashToken(token), prefix: token.slice(0, 10), scope, expiresAt },
    });
    return { ...toTokenInfo(row), token };
  }

  /** How many tokens the user made since then: the creation quota's count. */
  async apiTokensCreatedSince(userId: string, since: Date): Promise<number> {
    return this.prisma.apiToken.count({ where: { userId, createdAt: { gte: since } } });
  }

  async listApiTokens(userId: string): Promise<ApiTokenInfo[]> {
    const rows = await this.prisma.apiToken.findMany({ where: { userId }, orderBy: { createdAt: "desc" } });
    return rows.map(toTokenInfo);
  }

  async revokeApiToken(userId: string, tokenId: string): Promise<boolean> {
    const { count } = await this.prisma.apiToken.deleteMany({ where: { id: tokenId, userId } });
    return count > 0;
  }

  /** Every personal token of the user, as after a password change that asked for it. Returns how many. */
  async revokeAllApiTokens(userId: string): Promise<number> {
    const { count } = await this.prisma.apiToken.deleteMany({ where: { userId } });
    return count;
  }

  /** Who a bearer token stands for, or null for an unknown, revoked or expired token (they look alike). */
  async holderOfApiToken(token: string): Promise<TokenHolder | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const row = await this.prisma.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
    // A disabled account's tokens are kept (enabling it again brings them back) but refused.
    if (!row || (row.expiresAt && row.expiresAt.getTime() <= Date.now()) || row.user.disabledAt) return null;
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
    }
    return { user: toSessionUser(row.user), tokenId: row.id, scope: toScope(row.scope) };
  }
}

/**
 * Two admins stepping each other down at once would each count two admins and both succeed; holding
 * the admins' rows makes the second wait for the first and count again.
 */
async function lockAdmins(tx: Pick<PrismaClient, "$queryRaw">): Promise<void> {
  await tx.$queryRaw`SELECT id FROM users WHERE is_admin FOR UPDATE`;
}

function toAdminUserInfo(user: {
  id: string;
  name: string;
  email: string;
  color: string | null;
  isAdmin: boolean;
  createdAt: Date;
  lastSignedInAt: Date | null;
  disabledAt: Date | null;
}): AdminUserInfo {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    color: colorOf(user),
    isAdmin: user.isAdmin,
    createdAt: user.createdAt.toISOString(),
    lastSignedInAt: user.lastSignedInAt?.toISOString() ?? null,
    disabledAt: user.disabledAt?.toISOString() ?? null,
  };
}

/** The column has a CHECK constraint; anything else would be a bug, and then the narrower scope is the safe reading. */
function toScope(value: string): TokenScope {
  return value === "read-write" ? "read-write" : "read";
}

function toTokenInfo(row: {
  id: string;
  name: string;
  prefix: string;
  scope: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}): ApiTokenInfo {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scope: toScope(row.scope),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}
