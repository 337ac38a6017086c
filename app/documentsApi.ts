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

export type DocumentSort = 'edited' | 'created' | 'title'

/** One page of your documents (the server gives 100 unless told), last edited first unless sorted otherwise. */
export function listDocuments(
  options: { limit?: number; cursor?: string; sort?: DocumentSort; ownedOnly?: boolean } = {},
): Promise<DocumentPage> {
  const query = new URLSearchParams()
  if (options.limit) query.set('limit', String(options.limit))
  if (options.cursor) query.set('cursor', options.cursor)
  if (options.sort && options.sort !== 'edited') query.set('sort', options.sort)
  if (options.ownedOnly) query.set('owned', '1')
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

export interface TrashedState {
  id: string
  deletedAt: string
  /** When it will be deleted for good unless restored. */
  purgeAt: string
}

/** Moves the document to the trash (owners); restoreDocument undoes it. */
export function deleteDocument(id: string): Promise<TrashedState> {
  return apiRequest(documentPath(id), { method: 'DELETE' })
}

export function restoreDocument(id: string): Promise<DocumentSummary> {
  return apiRequest(`${documentPath(id)}/restore`, { method: 'POST' })
}

export function deleteDocumentForever(id: string): Promise<void> {
  return apiRequest(`${documentPath(id)}?permanent=1`, { method: 'DELETE' })
}

export interface TrashedDocument extends TrashedState {
  title: string
  createdAt: string
  updatedAt: string
  deletedBy: { id: string; name: string } | null
}

export function listTrash(): Promise<{ documents: TrashedDocument[]; trashDays: number }> {
  return apiRequest('/api/trash')
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
