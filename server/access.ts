import type { PrismaClient } from "./generated/prisma/client.ts";
import { isDocumentId } from "./document-id.ts";

/**
 * The one place that decides who may do what to a document. Pages, the JSON API and the
 * collaboration socket all ask here.
 */

export const ROLES = ["owner", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];
export type Action = "read" | "write" | "rename" | "share" | "delete";

const PERMITTED: Record<Role, ReadonlySet<Action>> = {
  owner: new Set(["read", "write", "rename", "share", "delete"]),
  editor: new Set(["read", "write", "rename"]),
  viewer: new Set(["read"]),
};

const RANK: Record<Role, number> = { viewer: 1, editor: 2, owner: 3 };

export function can(role: Role, action: Action): boolean {
  return PERMITTED[role].has(action);
}

export function higherRole(a: Role | null, b: Role | null): Role | null {
  if (!a) return b;
  if (!b) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

/** Not found rather than forbidden when the user may not even read: a document's existence is not leaked. */
export type Decision = { allowed: true; role: Role } | { allowed: false; status: 404 | 403; role: Role | null };

export class AccessControl {
  constructor(private readonly prisma: PrismaClient) {}

  /** A user's role: their own membership, or the best of the links they opened that still exist. */
  async roleOf(userId: string, documentId: string): Promise<Role | null> {
    if (!isDocumentId(documentId)) return null;
    return (await this.rolesOf([userId], documentId)).get(userId) ?? null;
  }

  async rolesOf(userIds: string[], documentId: string): Promise<Map<string, Role>> {
    const roles = new Map<string, Role>();
    if (userIds.length === 0 || !isDocumentId(documentId)) return roles;
    const [members, redemptions] = await Promise.all([
      this.prisma.documentMember.findMany({ where: { documentId, userId: { in: userIds } }, select: { userId: true, role: true } }),
      this.prisma.linkRedemption.findMany({
        where: { userId: { in: userIds }, link: { documentId } },
        select: { userId: true, link: { select: { role: true } } },
      }),
    ]);
    for (const { userId, role } of members) roles.set(userId, higherRole(roles.get(userId) ?? null, role)!);
    for (const { userId, link } of redemptions) roles.set(userId, higherRole(roles.get(userId) ?? null, link.role)!);
    return roles;
  }

  async decide(userId: string, documentId: string, action: Action): Promise<Decision> {
    const role = await this.roleOf(userId, documentId);
    if (!role) return { allowed: false, status: 404, role: null };
    if (!can(role, action)) return { allowed: false, status: can(role, "read") ? 403 : 404, role };
    return { allowed: true, role };
  }

  /** Every document the user can open, with their role on it. */
  async documentsOf(userId: string): Promise<Map<string, Role>> {
    const [members, redemptions] = await Promise.all([
      this.prisma.documentMember.findMany({ where: { userId }, select: { documentId: true, role: true } }),
      this.prisma.linkRedemption.findMany({ where: { userId }, select: { link: { select: { documentId: true, role: true } } } }),
    ]);
    const roles = new Map<string, Role>();
    for (const { documentId, role } of members) roles.set(documentId, higherRole(roles.get(documentId) ?? null, role)!);
    for (const { link } of redemptions) roles.set(link.documentId, higherRole(roles.get(link.documentId) ?? null, link.role)!);
    return roles;
  }
}
