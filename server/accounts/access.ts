import type { PrismaClient } from "../generated/prisma/client.ts";
import { isDocumentId } from "../documents/document-id.ts";

/**
 * The one place that decides who may do what to a document. Pages, the JSON API and the
 * collaboration socket all ask here. A document in the trash is not found for anyone through these
 * paths; only its owners reach it, through the trash's own (decideInTrash, trashOf).
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
    // A trashed document gives no one a role: the CTE finds no live row, so both halves are empty.
    const rows = await this.prisma.$queryRaw<{ user_id: string; role: Role }[]>`
      WITH live AS (SELECT id FROM documents WHERE id = ${documentId}::uuid AND deleted_at IS NULL)
      SELECT m.user_id, m.role::text AS role FROM document_members m JOIN live ON live.id = m.document_id
        WHERE m.user_id = ANY(${userIds}::text[])
      UNION ALL
      SELECT r.user_id, l.role::text FROM link_redemptions r JOIN share_links l ON l.id = r.link_id JOIN live ON live.id = l.document_id
        WHERE r.user_id = ANY(${userIds}::text[])`;
    for (const row of rows) roles.set(row.user_id, higherRole(roles.get(row.user_id) ?? null, row.role)!);
    return roles;
  }

  async decide(userId: string, documentId: string, action: Action): Promise<Decision> {
    const role = await this.roleOf(userId, documentId);
    if (!role) return { allowed: false, status: 404, role: null };
    if (!can(role, action)) return { allowed: false, status: can(role, "read") ? 403 : 404, role };
    return { allowed: true, role };
  }

  /**
   * Deleting for good: an owner of a document in the trash, or whoever may delete a live one. Anyone
   * else gets what decide answers them (404 for a trashed document, which they cannot see).
   */
  async decideDeleteForever(userId: string, documentId: string): Promise<Decision> {
    const inTrash = await this.decideInTrash(userId, documentId);
    return inTrash.allowed ? inTrash : this.decide(userId, documentId, "delete");
  }

  /**
   * Restoring or deleting forever from the trash: only an owner of a document that is in the trash.
   * Everyone else, and every document not in the trash, is not found.
   */
  async decideInTrash(userId: string, documentId: string): Promise<Decision> {
    if (!isDocumentId(documentId)) return { allowed: false, status: 404, role: null };
    const owners = await this.prisma.documentMember.count({
      where: { documentId, userId, role: "owner", document: { deletedAt: { not: null } } },
    });
    return owners > 0 ? { allowed: true, role: "owner" } : { allowed: false, status: 404, role: null };
  }

  /** The documents in the trash that the user owns (links never give ownership). */
  async trashOf(userId: string): Promise<string[]> {
    const rows = await this.prisma.documentMember.findMany({
      where: { userId, role: "owner", document: { deletedAt: { not: null } } },
      select: { documentId: true },
    });
    return rows.map((row) => row.documentId);
  }

  /** Every document the user can open, with their role on it (none in the trash). */
  async documentsOf(userId: string): Promise<Map<string, Role>> {
    const live = { deletedAt: null };
    const [members, redemptions] = await Promise.all([
      this.prisma.documentMember.findMany({ where: { userId, document: live }, select: { documentId: true, role: true } }),
      this.prisma.linkRedemption.findMany({ where: { userId, link: { document: live } }, select: { link: { select: { documentId: true, role: true } } } }),
    ]);
    const roles = new Map<string, Role>();
    for (const { documentId, role } of members) roles.set(documentId, higherRole(roles.get(documentId) ?? null, role)!);
    for (const { link } of redemptions) roles.set(link.documentId, higherRole(roles.get(link.documentId) ?? null, link.role)!);
    return roles;
  }
}
