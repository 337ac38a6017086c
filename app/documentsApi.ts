/** Browser-side client for the JSON API under /api/documents. */

import { apiRequest } from './apiRequest'

export { ApiError } from './apiRequest'

export type Role = 'owner' | 'editor' | 'viewer'

export interface DocumentSummary {
  id: string
  title: string
  /** Editor page path, /d/<id>. */
  url: string
  createdAt: string
  updatedAt: string
  /** Your role on it. */
  role: Role
}

export const canEdit = (role: Role) => role === 'owner' || role === 'editor'

const documentPath = (id: string) => `/api/documents/${encodeURIComponent(id)}`

export interface DocumentPage {
  documents: DocumentSummary[]
  /** Pass it back for the next page; null on the last. */
  nextCursor: string | null
}

/** One page of your documents, most recently edited first (the server gives 100 unless told). */
export function listDocuments(options: { limit?: number; cursor?: string } = {}): Promise<DocumentPage> {
  const query = new URLSearchParams()
  if (options.limit) query.set('limit', String(options.limit))
  if (options.cursor) query.set('cursor', options.cursor)
  return apiRequest(`/api/documents${query.size ? `?${query}` : ''}`)
}

export function createDocument(title: string): Promise<DocumentSummary> {
  return apiRequest('/api/documents', { method: 'POST', body: JSON.stringify({ title }) })
}

export function getDocument(id: string): Promise<DocumentSummary> {
  return apiRequest(documentPath(id))
}

export function renameDocument(id: string, title: string): Promise<DocumentSummary> {
  return apiRequest(documentPath(id), { method: 'PATCH', body: JSON.stringify({ title }) })
}

export function deleteDocument(id: string): Promise<void> {
  return apiRequest(documentPath(id), { method: 'DELETE' })
}

export interface CollabToken {
  token: string
  expiresAt: string
  role: Role
  user: { id: string; name: string; color: string }
}

export function requestCollabToken(id: string): Promise<CollabToken> {
  return apiRequest(`${documentPath(id)}/collab-token`, { method: 'POST' })
}
