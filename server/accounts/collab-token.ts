import { createHash } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import type { Role } from "./access.ts";
import { ROLES } from "./access.ts";

/**
 * The WebSocket never sees cookies: a page asks the API for one of these, bound to one user, one
 * document and one role, and the provider sends it in the Hocuspocus auth message.
 */
export interface CollabClaims {
  userId: string;
  documentId: string;
  role: Role;
  name: string;
  color: string;
  expiresAt: number;
}

export const COLLAB_TOKEN_TTL_SECONDS = 5 * 60;
const AUDIENCE = "inkwell-collab";

export type TokenProblem = "invalid-token" | "token-expired";

export class CollabTokenError extends Error {
  constructor(readonly problem: TokenProblem) {
    super(problem);
  }
}

export class CollabTokens {
  private readonly key: Uint8Array;

  constructor(instanceSecret: string) {
    // Derived, so a collaboration token can never pass for anything Better Auth signs with the same secret.
    this.key = createHash("sha256").update(`inkwell collaboration tokens\0${instanceSecret}`).digest();
  }

  async issue(claims: Omit<CollabClaims, "expiresAt">, ttlSeconds = COLLAB_TOKEN_TTL_SECONDS): Promise<{ token: string; expiresAt: number }> {
    const now = Math.floor(Date.now() / 1000);
    const expiresAt = now + ttlSeconds;
    const token = await new SignJWT({ doc: claims.documentId, role: claims.role, name: claims.name, color: claims.color })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(claims.userId)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(expiresAt)
      .sign(this.key);
    return { token, expiresAt: expiresAt * 1000 };
  }

  async verify(token: string): Promise<CollabClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, { audience: AUDIENCE, algorithms: ["HS256"] });
      const { sub, doc, role, name, color, exp } = payload;
      if (typeof sub !== "string" || typeof doc !== "string" || !ROLES.includes(role as Role) || typeof exp !== "number") {
        throw new CollabTokenError("invalid-token");
      }
      return { userId: sub, documentId: doc, role: role as Role, name: String(name ?? ""), color: String(color ?? ""), expiresAt: exp * 1000 };
    } catch (error) {
      if (error instanceof CollabTokenError) throw error;
      throw new CollabTokenError(error instanceof errors.JWTExpired ? "token-expired" : "invalid-token");
    }
  }
}
