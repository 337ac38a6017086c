/** Browser-side client for a document's members, invitations and share links, and for joining by link. */

import { apiRequest } from './apiRequest'
import type { Role } from './documentsApi'

export type LinkRole = Exclude<Role, 'owner'>

export interface Member {
  userId: string
  email: string
  name: string
  role: Role
}

export interface Invitation {
  email: string
  role: Role
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

/** Adds a member when the email has an account, otherwise invites it (it becomes a member on sign-up). */
export function shareWithEmail(
  documentId: string,
  email: string,
  role: Role,
): Promise<{ member: Member } | { invitation: Invitation }> {
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

export function createShareLink(documentId: string, role: LinkRole): Promise<ShareLink> {
  return apiRequest(`${base(documentId)}/links`, { method: 'POST', body: JSON.stringify({ role }) })
}

export function revokeShareLink(documentId: string, linkId: string): Promise<void> {
  return apiRequest(`${base(documentId)}/links/${encodeURIComponent(linkId)}`, { method: 'DELETE' })
}

export function joinByLink(token: string): Promise<{ url: string; role: Role }> {
  return apiRequest(`/api/join/${encodeURIComponent(token)}`, { method: 'POST' })
}
