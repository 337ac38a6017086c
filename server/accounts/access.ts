import type { PrismaClient } from "../generated/prisma/client.ts";
import { isDocumentId } from "../documents/document-id.ts";

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
    // One round trip, in raw SQL: it runs on every collaboration connection, reconnect storms included.
    const rows = await this.prisma.$queryRaw<{ user_id: string; role: Role }[]>`
      SELECT user_id, role::text AS role FROM document_members
        WHERE document_id = ${documentId}::uuid AND user_id = ANY(${userIds}::text[])
      UNION ALL
      SELECT r.user_id, l.role::text FROM link_redemptions r JOIN share_links l ON l.id = r.link_id
        WHERE l.document_id = ${documentId}::uuid AND r.user_id = ANY(${userIds}::text[])`;
    for (const row of rows) roles.set(row.user_id, higherRole(roles.get(row.user_id) ?? null, row.role)!);
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
