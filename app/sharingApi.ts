/** Browser-side client for a document's members, invitations and share links, and for joining by link. */

import { apiRequest } from './apiRequest'
import type { Role } from './documentsApi'

export type LinkRole = Exclude<Role, 'owner'>

/** Someone with access. Owners also see their email and the share links they joined through. */
export interface Member {
  userId: string
  name: string
  role: Role
  email?: string
  joinedThrough?: string[]
}

/** Pending invitations are listed to owners only. */
export interface Invitation {
  email: string
  role: Role
  expiresAt: string
  /** Its link no longer works: get a new one to pass on. */
  expired: boolean
}

/** An invitation just issued: its one-time link is shown this once. */
export interface IssuedInvitation extends Invitation {
  url: string
  /** Sent by email; otherwise the owner passes the link on. */
  emailed: boolean
}

export interface ShareLink {
  id: string
  role: LinkRole
  /** Path on this site, /join/<token>. */
  url: string
  createdAt: string
}

export interface Sharing {
  members: Member[]
  invitations: Invitation[]
  /** Only owners see links; everyone else gets []. */
  links: ShareLink[]
}

const base = (documentId: string) => `/api/documents/${encodeURIComponent(documentId)}`

export function getSharing(documentId: string): Promise<Sharing> {
  return apiRequest(`${base(documentId)}/sharing`)
}

/** Adds a member when the email has an account, otherwise invites it with a one-time link. */
export function shareWithEmail(
  documentId: string,
  email: string,
  role: Role,
): Promise<{ member: Member } | { invitation: IssuedInvitation }> {
  return apiRequest(`${base(documentId)}/members`, { method: 'POST', body: JSON.stringify({ email, role }) })
}

export function changeMemberRole(documentId: string, userId: string, role: Role): Promise<unknown> {
  return apiRequest(`${base(documentId)}/members/${encodeURIComponent(userId)}`, {
    method: 'PATCH',
    body: JSON.stringify({ role }),
  })
}

export function removeMember(documentId: string, userId: string): Promise<void> {
  return apiRequest(`${base(documentId)}/members/${encodeURIComponent(userId)}`, { method: 'DELETE' })
}

export function cancelInvitation(documentId: string, email: string): Promise<void> {
  return apiRequest(`${base(documentId)}/invitations/${encodeURIComponent(email)}`, { method: 'DELETE' })
}

/** A fresh link for a pending invitation; the previous one stops working. */
export function renewInvitationLink(documentId: string, email: string): Promise<{ invitation: IssuedInvitation }> {
  return apiRequest(`${base(documentId)}/invitations/${encodeURIComponent(email)}/link`, { method: 'POST' })
}

export function acceptInvitation(token: string): Promise<{ url: string; role: Role }> {
  return apiRequest(`/api/invitations/${encodeURIComponent(token)}`, { method: 'POST' })
}

export function createShareLink(documentId: string, role: LinkRole): Promise<ShareLink> {
  return apiRequest(`${base(documentId)}/links`, { method: 'POST', body: JSON.stringify({ role }) })
}

export function revokeShareLink(documentId: string, linkId: string): Promise<void> {
  return apiRequest(`${base(documentId)}/links/${encodeURIComponent(linkId)}`, { method: 'DELETE' })
}

export function joinByLink(token: string): Promise<{ url: string; role: Role }> {
  return apiRequest(`/api/join/${encodeURIComponent(token)}`, { method: 'POST' })
}
