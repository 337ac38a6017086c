import { randomBytes, randomUUID } from "node:crypto";
import type { Role } from "./access.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";

/** Who has been given access to a document: members, invitations by email, and share links. */

export interface MemberInfo {
  userId: string;
  email: string;
  name: string;
  role: Role;
}

export interface InvitationInfo {
  email: string;
  role: Role;
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
    readonly status: 400 | 404 | 409,
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

function toLink(row: { id: string; token: string; role: Role; createdAt: Date }): LinkInfo {
  return { id: row.id, role: row.role, url: `/join/${row.token}`, createdAt: row.createdAt.toISOString() };
}

export class Sharing {
  constructor(private readonly prisma: PrismaClient) {}

  async list(documentId: string, withLinks: boolean): Promise<{ members: MemberInfo[]; invitations: InvitationInfo[]; links: LinkInfo[] }> {
    const [members, invitations, links] = await Promise.all([
      this.prisma.documentMember.findMany({ where: { documentId }, include: { user: true }, orderBy: { createdAt: "asc" } }),
      this.prisma.documentInvitation.findMany({ where: { documentId }, orderBy: { createdAt: "asc" } }),
      withLinks ? this.prisma.shareLink.findMany({ where: { documentId }, orderBy: { createdAt: "asc" } }) : [],
    ]);
    return {
      members: members.map(({ user, role }) => ({ userId: user.id, email: user.email, name: user.name, role })),
      invitations: invitations.map(({ email, role }) => ({ email, role })),
      links: links.map(toLink),
    };
  }

  /** Gives the person with this email a role: a membership if they have an account, else an invitation. */
  async share(documentId: string, email: string, role: Role, byUserId: string): Promise<{ member: MemberInfo } | { invitation: InvitationInfo }> {
    const normalized = email.trim().toLowerCase();
    const user = await this.prisma.user.findUnique({ where: { email: normalized } });
    if (!user) {
      const invitation = await this.prisma.documentInvitation.upsert({
        where: { documentId_email: { documentId, email: normalized } },
        create: { documentId, email: normalized, role, invitedById: byUserId },
        update: { role },
      });
      return { invitation: { email: invitation.email, role: invitation.role } };
    }
    const existing = await this.prisma.documentMember.findUnique({ where: { documentId_userId: { documentId, userId: user.id } } });
    if (existing?.role === "owner" && role !== "owner") await this.assertAnotherOwner(documentId, user.id);
    await this.prisma.documentMember.upsert({
      where: { documentId_userId: { documentId, userId: user.id } },
      create: { documentId, userId: user.id, role },
      update: { role },
    });
    return { member: { userId: user.id, email: user.email, name: user.name, role } };
  }

  async setRole(documentId: string, userId: string, role: Role): Promise<void> {
    const existing = await this.prisma.documentMember.findUnique({ where: { documentId_userId: { documentId, userId } } });
    if (!existing) throw new SharingError(404, "that person is not a member of this document");
    if (existing.role === "owner" && role !== "owner") await this.assertAnotherOwner(documentId, userId);
    await this.prisma.documentMember.update({ where: { documentId_userId: { documentId, userId } }, data: { role } });
  }

  async removeMember(documentId: string, userId: string): Promise<void> {
    const existing = await this.prisma.documentMember.findUnique({ where: { documentId_userId: { documentId, userId } } });
    if (!existing) throw new SharingError(404, "that person is not a member of this document");
    if (existing.role === "owner") await this.assertAnotherOwner(documentId, userId);
    await this.prisma.documentMember.delete({ where: { documentId_userId: { documentId, userId } } });
  }

  async removeInvitation(documentId: string, email: string): Promise<boolean> {
    const { count } = await this.prisma.documentInvitation.deleteMany({ where: { documentId, email: email.trim().toLowerCase() } });
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

  /** Records that the user opened the link; returns its document, or null for an unknown or revoked link. */
  async redeemLink(token: string, userId: string): Promise<{ documentId: string; role: Role } | null> {
    const link = await this.prisma.shareLink.findUnique({ where: { token } });
    if (!link) return null;
    await this.prisma.linkRedemption.upsert({
      where: { linkId_userId: { linkId: link.id, userId } },
      create: { linkId: link.id, userId },
      update: {},
    });
    return { documentId: link.documentId, role: link.role };
  }

  async hasInvitation(email: string): Promise<boolean> {
    return (await this.prisma.documentInvitation.count({ where: { email: email.trim().toLowerCase() } })) > 0;
  }

  /** Turns the invitations waiting for a new account's email into memberships. */
  async acceptInvitations(userId: string, email: string): Promise<number> {
    const invitations = await this.prisma.documentInvitation.findMany({ where: { email: email.trim().toLowerCase() } });
    for (const invitation of invitations) {
      await this.prisma.documentMember.upsert({
        where: { documentId_userId: { documentId: invitation.documentId, userId } },
        create: { documentId: invitation.documentId, userId, role: invitation.role },
        update: { role: invitation.role },
      });
    }
    await this.prisma.documentInvitation.deleteMany({ where: { email: email.trim().toLowerCase() } });
    return invitations.length;
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

  private async assertAnotherOwner(documentId: string, userId: string): Promise<void> {
    const others = await this.prisma.documentMember.count({ where: { documentId, role: "owner", NOT: { userId } } });
    if (others === 0) throw new SharingError(409, "a document must keep at least one owner: make someone else owner first");
  }
}
