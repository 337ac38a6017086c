import { createHash, randomBytes, randomUUID } from "node:crypto";
import { higherRole, type Role } from "./access.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";

/** Who has been given access to a document: members, link joiners, invitations by email, and share links. */

/**
 * Someone with access: a member, or someone who joined through a share link. Email addresses and
 * the links people came through are shown to owners only (`forOwner`); others see names and roles.
 */
export interface MemberInfo {
  userId: string;
  name: string;
  role: Role;
  email?: string;
  /** Owners only: the share links this person joined through (empty for plain members). */
  joinedThrough?: string[];
}

export interface InvitationInfo {
  email: string;
  role: Role;
  expiresAt: string;
  /** The link expired (or was never issued, for invitations from before links): get a fresh one. */
  expired: boolean;
}

/** An invitation with its one-time link, as its owner sees it once: only its hash is kept. */
export interface IssuedInvitation extends InvitationInfo {
  /** Path on this site: /invite/<token>. */
  path: string;
}

export interface LinkInfo {
  id: string;
  role: Role;
  url: string;
  createdAt: string;
}

export class SharingError extends Error {
  override name = "SharingError";

  constructor(
    readonly status: 400 | 403 | 404 | 409 | 410,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Route handlers are bundled by Next with their own copy of this module, so `instanceof` cannot
 * recognise an error thrown by the server's copy; its shape can.
 */
export function isSharingError(error: unknown): error is SharingError {
  return error instanceof Error && error.name === "SharingError" && typeof (error as SharingError).status === "number";
}

export const INVITATION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
const LAST_OWNER = "a document must keep at least one owner: make someone else owner first";
const NOT_A_MEMBER = "that person has no access to this document";
export const REMOVED_FROM_DOCUMENT = "An owner removed you from this document. Ask them to share it with you again.";

/** 24 random bytes: guessing one is hopeless, and the database keeps only its SHA-256. */
function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(24).toString("base64url");
  return { token, tokenHash: hashInvitationToken(token) };
}

function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

function toLink(row: { id: string; token: string; role: Role; createdAt: Date }): LinkInfo {
  return { id: row.id, role: row.role, url: `/join/${row.token}`, createdAt: row.createdAt.toISOString() };
}

type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export interface SharingOptions {
  /** The clock invitations expire by (tests move it). */
  now?: () => Date;
}

export class Sharing {
  private readonly now: () => Date;

  constructor(
    private readonly prisma: PrismaClient,
    options: SharingOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async list(documentId: string, forOwner: boolean): Promise<{ members: MemberInfo[]; invitations: InvitationInfo[]; links: LinkInfo[] }> {
    const [members, redemptions, invitations, links] = await Promise.all([
      this.prisma.documentMember.findMany({ where: { documentId }, include: { user: true }, orderBy: { createdAt: "asc" } }),
      this.prisma.linkRedemption.findMany({ where: { link: { documentId } }, include: { user: true, link: true }, orderBy: { createdAt: "asc" } }),
      forOwner ? this.prisma.documentInvitation.findMany({ where: { documentId, acceptedAt: null }, orderBy: { createdAt: "asc" } }) : [],
      forOwner ? this.prisma.shareLink.findMany({ where: { documentId }, orderBy: { createdAt: "asc" } }) : [],
    ]);
    // One entry per person, with their effective role (as access.ts computes it) and how they came in.
    const people = new Map<string, { userId: string; name: string; email: string; role: Role; joinedThrough: string[] }>();
    for (const { user, role } of members) people.set(user.id, { userId: user.id, name: user.name, email: user.email, role, joinedThrough: [] });
    for (const { user, link } of redemptions) {
      const person = people.get(user.id) ?? { userId: user.id, name: user.name, email: user.email, role: link.role, joinedThrough: [] };
      person.role = higherRole(person.role, link.role)!;
      person.joinedThrough.push(link.id);
      people.set(user.id, person);
    }
    const now = this.now();
    return {
      members: [...people.values()].map((person) =>
        forOwner ? person : { userId: person.userId, name: person.name, role: person.role },
      ),
      invitations: invitations.map((invitation) => this.toInvitation(invitation, now)),
      links: links.map(toLink),
    };
  }

  /**
   * Gives the person with this email a role: a membership if they have an account (which also
   * replaces whatever links gave them, and lifts a removal), else an invitation with a fresh
   * one-time link. Re-sharing with a pending invitation's email issues a new link; the old one stops working.
   */
  async share(documentId: string, email: string, role: Role, byUserId: string): Promise<{ member: MemberInfo } | { invitation: IssuedInvitation }> {
    const normalized = email.trim().toLowerCase();
    const user = await this.prisma.user.findUnique({ where: { email: normalized } });
    if (!user) return { invitation: await this.issueInvitation(documentId, normalized, role, byUserId) };
    await this.setRole(documentId, user.id, role, { mayAdd: true });
    // An invitation to them that they had not used yet is settled by this.
    await this.prisma.documentInvitation.deleteMany({ where: { documentId, email: normalized, acceptedAt: null } });
    return { member: { userId: user.id, name: user.name, email: user.email, role, joinedThrough: [] } };
  }

  /** A fresh link for a pending invitation, same role; the previous link stops working. */
  async reissueInvitation(documentId: string, email: string): Promise<IssuedInvitation | null> {
    const normalized = email.trim().toLowerCase();
    const existing = await this.prisma.documentInvitation.findUnique({ where: { documentId_email: { documentId, email: normalized } } });
    if (!existing || existing.acceptedAt) return null;
    return this.issueInvitation(documentId, normalized, existing.role, existing.invitedById);
  }

  private async issueInvitation(documentId: string, email: string, role: Role, byUserId: string | null): Promise<IssuedInvitation> {
    const { token, tokenHash } = newInvitationToken();
    const expiresAt = new Date(this.now().getTime() + INVITATION_TTL_MS);
    const invitation = await this.prisma.documentInvitation.upsert({
      where: { documentId_email: { documentId, email } },
      create: { documentId, email, role, invitedById: byUserId, tokenHash, expiresAt },
      // A used invitation shared again is a new one.
      update: { role, tokenHash, expiresAt, acceptedAt: null, ...(byUserId ? { invitedById: byUserId } : {}) },
    });
    return { ...this.toInvitation(invitation, this.now()), path: `/invite/${token}` };
  }

  private toInvitation(invitation: { email: string; role: Role; expiresAt: Date; tokenHash: string | null }, now: Date): InvitationInfo {
    return {
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt.toISOString(),
      expired: !invitation.tokenHash || invitation.expiresAt <= now,
    };
  }

  /** What an invitation link offers, for its page; null for a token that matches nothing. */
  async describeInvitation(token: string): Promise<{ documentId: string; documentTitle: string; role: Role; state: "pending" | "used" | "expired" } | null> {
    const invitation = await this.prisma.documentInvitation.findUnique({ where: { tokenHash: hashInvitationToken(token) }, include: { document: true } });
    // A document in the trash is gone for everyone but its owners: its invitations lead nowhere until it is restored.
    if (!invitation || invitation.document.deletedAt) return null;
    const state = invitation.acceptedAt ? "used" : invitation.expiresAt <= this.now() ? "expired" : "pending";
    return { documentId: invitation.documentId, documentTitle: invitation.document.title, role: invitation.role, state };
  }

  /** The document a share link opens, for the sign-in page of someone who followed it; null for an unknown or revoked link. */
  async describeLink(token: string): Promise<{ documentId: string; documentTitle: string; role: Role } | null> {
    const link = await this.prisma.shareLink.findUnique({ where: { token }, include: { document: { select: { title: true, deletedAt: true } } } });
    if (!link || link.document.deletedAt) return null;
    return { documentId: link.documentId, documentTitle: link.document.title, role: link.role };
  }

  /** Whether this is a pending, unexpired invitation link: it lets its holder sign up under ALLOW_SIGNUP=false. */
  async isPendingInvitationToken(token: string): Promise<boolean> {
    const count = await this.prisma.documentInvitation.count({
      where: { tokenHash: hashInvitationToken(token), acceptedAt: null, expiresAt: { gt: this.now() } },
    });
    return count > 0;
  }

  /**
   * The signed-in user holds the link, which proves they received it: they get the invitation's role
   * (exactly that role, as an owner's sharing sets it), and the link is used up. Whoever gets there
   * first wins; a second use answers 410.
   */
  async acceptInvitation(token: string, userId: string): Promise<{ documentId: string; role: Role }> {
    const tokenHash = hashInvitationToken(token);
    const now = this.now();
    return this.prisma.$transaction(async (tx) => {
      // Locked, so two people using one link at once cannot both get in.
      await tx.$queryRaw`SELECT 1 FROM document_invitations WHERE token_hash = ${tokenHash} FOR UPDATE`;
      const invitation = await tx.documentInvitation.findUnique({ where: { tokenHash }, include: { document: { select: { deletedAt: true } } } });
      if (!invitation || invitation.document.deletedAt) throw new SharingError(404, "This invitation link does not exist. Check that it was copied completely, or ask the owner for a new one.");
      if (invitation.acceptedAt) throw new SharingError(410, "This invitation link was already used. Ask the owner for a new one.");
      if (invitation.expiresAt <= now) throw new SharingError(410, "This invitation link has expired. Ask the owner for a new one.");
      const documentId = invitation.documentId;
      await tx.documentInvitation.updateMany({ where: { tokenHash }, data: { acceptedAt: now } });
      // Someone already on the document keeps a higher role they have (an owner clicking their own link stays owner).
      const existing = await this.effectiveRole(tx, documentId, userId);
      const role = higherRole(existing, invitation.role)!;
      await this.writeRole(tx, documentId, userId, role);
      return { documentId, role };
    });
  }

  /**
   * Sets a person's role, whatever way they had in: it becomes their membership, and the links they
   * came through stop counting, so the role is exactly this one. The document's owner rows are
   * locked first, so two owners demoting each other at once cannot leave it without one.
   */
  async setRole(documentId: string, userId: string, role: Role, { mayAdd = false } = {}): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const owners = await this.lockOwners(tx, documentId);
      const current = await this.effectiveRole(tx, documentId, userId);
      if (!current && !mayAdd) throw new SharingError(404, NOT_A_MEMBER);
      if (role !== "owner" && owners.includes(userId) && owners.length === 1) throw new SharingError(409, LAST_OWNER);
      await this.writeRole(tx, documentId, userId, role);
    });
  }

  /**
   * Removes every way a person had in: membership, the links they opened, invitations to their
   * email. They could reopen a link they still have, so the document's links no longer let them in
   * until an owner shares it with them again.
   */
  async removeMember(documentId: string, userId: string): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const owners = await this.lockOwners(tx, documentId);
      const current = await this.effectiveRole(tx, documentId, userId);
      if (!current) throw new SharingError(404, NOT_A_MEMBER);
      if (owners.includes(userId) && owners.length === 1) throw new SharingError(409, LAST_OWNER);
      await tx.documentMember.deleteMany({ where: { documentId, userId } });
      await tx.linkRedemption.deleteMany({ where: { userId, link: { documentId } } });
      const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true } });
      if (user) await tx.documentInvitation.deleteMany({ where: { documentId, email: user.email } });
      await tx.linkExclusion.upsert({ where: { documentId_userId: { documentId, userId } }, create: { documentId, userId }, update: {} });
    });
  }

  async removeInvitation(documentId: string, email: string): Promise<boolean> {
    const { count } = await this.prisma.documentInvitation.deleteMany({ where: { documentId, email: email.trim().toLowerCase(), acceptedAt: null } });
    return count > 0;
  }

  async createLink(documentId: string, role: Role, byUserId: string): Promise<LinkInfo> {
    const row = await this.prisma.shareLink.create({
      data: { id: randomUUID(), documentId, role, token: randomBytes(18).toString("base64url"), createdById: byUserId },
    });
    return toLink(row);
  }

  /** Deletes the link and so every access given through it; returns who had opened it. */
  async revokeLink(documentId: string, linkId: string): Promise<string[] | null> {
    const link = await this.prisma.shareLink.findFirst({ where: { id: linkId, documentId }, include: { redemptions: true } });
    if (!link) return null;
    await this.prisma.shareLink.delete({ where: { id: link.id } });
    return link.redemptions.map((redemption) => redemption.userId);
  }

  /**
   * Records that the user opened the link; returns its document, or null for an unknown or revoked
   * link. Someone an owner removed from the document is refused (403) until it is shared with them again.
   */
  async redeemLink(token: string, userId: string): Promise<{ documentId: string; role: Role } | null> {
    const link = await this.prisma.shareLink.findUnique({ where: { token }, include: { document: { select: { deletedAt: true } } } });
    // In the trash: the link works again if an owner restores the document.
    if (!link || link.document.deletedAt) return null;
    const excluded = await this.prisma.linkExclusion.findUnique({ where: { documentId_userId: { documentId: link.documentId, userId } } });
    if (excluded) throw new SharingError(403, REMOVED_FROM_DOCUMENT);
    await this.prisma.linkRedemption.upsert({
      where: { linkId_userId: { linkId: link.id, userId } },
      create: { linkId: link.id, userId },
      update: {},
    });
    return { documentId: link.documentId, role: link.role };
  }

  /** Documents from before accounts existed have no owner; the instance admin gets them. */
  async adoptOwnerlessDocuments(adminId: string): Promise<number> {
    const ownerless = await this.prisma.document.findMany({ where: { members: { none: { role: "owner" } } }, select: { id: true } });
    if (ownerless.length === 0) return 0;
    await this.prisma.documentMember.createMany({
      data: ownerless.map(({ id }) => ({ documentId: id, userId: adminId, role: "owner" as const })),
      skipDuplicates: true,
    });
    return ownerless.length;
  }

  /** Locks the document's owner memberships until the transaction ends; returns the owners' ids. */
  private async lockOwners(tx: Transaction, documentId: string): Promise<string[]> {
    const rows = await tx.$queryRaw<{ user_id: string }[]>`
      SELECT user_id FROM document_members WHERE document_id = ${documentId}::uuid AND role = 'owner' FOR UPDATE`;
    return rows.map((row) => row.user_id);
  }

  private async effectiveRole(tx: Transaction, documentId: string, userId: string): Promise<Role | null> {
    // One after the other: a transaction is one connection.
    const member = await tx.documentMember.findUnique({ where: { documentId_userId: { documentId, userId } } });
    const redemptions = await tx.linkRedemption.findMany({ where: { userId, link: { documentId } }, include: { link: true } });
    return redemptions.reduce<Role | null>((best, { link }) => higherRole(best, link.role), member?.role ?? null);
  }

  /** The person's role becomes exactly `role`: a membership, their links no longer counting, any removal lifted. */
  private async writeRole(tx: Transaction, documentId: string, userId: string, role: Role): Promise<void> {
    await tx.documentMember.upsert({
      where: { documentId_userId: { documentId, userId } },
      create: { documentId, userId, role },
      update: { role },
    });
    await tx.linkRedemption.deleteMany({ where: { userId, link: { documentId } } });
    await tx.linkExclusion.deleteMany({ where: { documentId, userId } });
  }
}
