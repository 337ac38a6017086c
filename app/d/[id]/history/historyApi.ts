/** Browser-side client for a document's versions, diffs and restores (the history routes). */

import type { JSONContent } from '@tiptap/core'
import { apiRequest } from '../../../apiRequest'
import type { DiffAuthor } from './diff-marks'

export type VersionKind = 'auto' | 'named' | 'before-restore' | 'before-import'

export interface Version {
  id: string
  createdAt: string
  name: string | null
  kind: VersionKind
  authors: DiffAuthor[]
}

export interface VersionDiff {
  content: JSONContent
  authors: DiffAuthor[]
  changes: { insertions: number; deletions: number; formatting: number }
  truncated: boolean
}

const historyPath = (documentId: string) => `/api/documents/${encodeURIComponent(documentId)}`

/** Newest first. */
export async function listVersions(documentId: string): Promise<Version[]> {
  const answer = await apiRequest<{ versions: Version[] }>(`${historyPath(documentId)}/versions`)
  return answer.versions
}

export async function nameVersion(documentId: string, name: string): Promise<Version> {
  const answer = await apiRequest<{ version: Version }>(`${historyPath(documentId)}/versions`, {
    method: 'POST',
    body: JSON.stringify({ name }),
  })
  return answer.version
}

export function versionContent(documentId: string, versionId: string): Promise<JSONContent> {
  const query = new URLSearchParams({ format: 'json', version: versionId })
  return apiRequest(`${historyPath(documentId)}/content?${query}`)
}

/** What changed from one version to a later one, marked on the later one's content. */
export function versionDiff(documentId: string, fromVersionId: string, toVersionId: string): Promise<VersionDiff> {
  const query = new URLSearchParams({ from: fromVersionId, to: toVersionId })
  return apiRequest(`${historyPath(documentId)}/diff?${query}`)
}

/** Resolves once the server has committed the restore; every open editor then converges on it. */
export async function restoreVersion(documentId: string, versionId: string): Promise<void> {
  await apiRequest(`${historyPath(documentId)}/versions/${encodeURIComponent(versionId)}/restore`, { method: 'POST' })
}
