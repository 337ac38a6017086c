'use client'

import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { ConfirmDialog } from './ConfirmDialog'
import {
  createDocument,
  deleteDocument,
  listDocuments,
  renameDocument,
  type DocumentSummary,
} from './documentsApi'
import { formatFullTime, formatRelativeTime } from './relativeTime'

const NEW_TITLE = 'Untitled document'

const byMostRecent = (a: DocumentSummary, b: DocumentSummary) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt)

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

export function DocumentList() {
  const router = useRouter()
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)
  const [renaming, setRenaming] = useState<{ id: string; draft: string; saving: boolean } | null>(null)
  const [pendingDelete, setPendingDelete] = useState<DocumentSummary | null>(null)
  const [deleting, setDeleting] = useState(false)
  const [now, setNow] = useState(() => Date.now())
  const [loadFailed, setLoadFailed] = useState(false)

  const load = useCallback(async () => {
    try {
      setDocuments(await listDocuments())
      setNow(Date.now())
      setLoadFailed(false)
    } catch (e) {
      setError(`Could not load documents: ${messageOf(e)}`)
      setLoadFailed(true)
    }
  }, [])

  useEffect(() => {
    void load()
    // Others edit too: refresh when the writer comes back to this tab.
    const onVisible = () => {
      if (document.visibilityState === 'visible') void load()
    }
    document.addEventListener('visibilitychange', onVisible)
    const tick = setInterval(() => setNow(Date.now()), 30_000)
    return () => {
      document.removeEventListener('visibilitychange', onVisible)
      clearInterval(tick)
    }
  }, [load])

  const create = async () => {
    setCreating(true)
    setError(null)
    try {
      const created = await createDocument(NEW_TITLE)
      router.push(created.url)
    } catch (e) {
      setError(`Could not create a document: ${messageOf(e)}`)
      setCreating(false)
    }
  }

  const commitRename = async (event: FormEvent) => {
    event.preventDefault()
    if (!renaming || renaming.saving) return
    const title = renaming.draft.trim()
    const current = documents?.find(d => d.id === renaming.id)
    if (!title || title === current?.title) {
      setRenaming(null)
      return
    }
    setRenaming({ ...renaming, saving: true })
    try {
      const updated = await renameDocument(renaming.id, title)
      setDocuments(list => (list ?? []).map(d => (d.id === updated.id ? updated : d)).sort(byMostRecent))
      setRenaming(null)
      setError(null)
    } catch (e) {
      setError(`Could not rename the document: ${messageOf(e)}`)
      setRenaming(r => (r ? { ...r, saving: false } : r))
    }
  }

  const confirmDelete = async () => {
    if (!pendingDelete) return
    setDeleting(true)
    try {
      await deleteDocument(pendingDelete.id)
      setDocuments(list => (list ?? []).filter(d => d.id !== pendingDelete.id))
      setError(null)
    } catch (e) {
      setError(`Could not delete the document: ${messageOf(e)}`)
    } finally {
      setDeleting(false)
      setPendingDelete(null)
    }
  }

  return (
    <section className="documents" aria-labelledby="documents-heading">
      <div className="documents__header">
        <h1 id="documents-heading">Documents</h1>
        <button
          type="button"
          className="button button--primary"
          data-testid="new-document"
          onClick={create}
          disabled={creating}
        >
          {creating ? 'Creating…' : 'New document'}
        </button>
      </div>

      {error && (
        <div className="banner banner--error" role="alert" data-testid="error-message">
          <span>{error}</span>
          <button type="button" className="banner__close" aria-label="Dismiss" onClick={() => setError(null)}>
            ×
          </button>
        </div>
      )}

      {documents === null ? (
        loadFailed ? (
          <div className="documents__empty">
            <button type="button" className="button" onClick={() => void load()}>
              Try again
            </button>
          </div>
        ) : (
          <p className="documents__loading" aria-busy="true">
            Loading documents…
          </p>
        )
      ) : documents.length === 0 ? (
        <div className="documents__empty" data-testid="empty-state">
          <p className="documents__empty-title">No documents yet</p>
          <p>Create your first document with “New document”. Anyone with the link can edit it with you.</p>
        </div>
      ) : (
        <ul className="doc-list" data-testid="document-list">
          {documents.map(doc => {
            const title = doc.title || NEW_TITLE
            const isRenaming = renaming?.id === doc.id
            return (
              <li key={doc.id} className="doc-row" data-testid="document-row" data-document-id={doc.id}>
                {isRenaming ? (
                  <form className="doc-row__rename" onSubmit={commitRename}>
                    <input
                      className="input"
                      data-testid="rename-input"
                      aria-label="New title"
                      value={renaming.draft}
                      autoFocus
                      disabled={renaming.saving}
                      onChange={e => setRenaming({ ...renaming, draft: e.target.value })}
                      onKeyDown={e => {
                        if (e.key === 'Escape') setRenaming(null)
                      }}
                    />
                    <button type="submit" className="button button--primary" data-testid="rename-save" disabled={renaming.saving}>
                      Save
                    </button>
                    <button type="button" className="button" data-testid="rename-cancel" onClick={() => setRenaming(null)}>
                      Cancel
                    </button>
                  </form>
                ) : (
                  <>
                    <Link href={doc.url} className="doc-row__link" data-testid="open-document">
                      <span className="doc-row__icon" aria-hidden="true" />
                      <span className="doc-row__text">
                        <span className="doc-row__title" data-testid="document-title">
                          {title}
                        </span>
                        <span className="doc-row__meta">
                          Last edited{' '}
                          <time dateTime={doc.updatedAt} title={formatFullTime(doc.updatedAt)}>
                            {formatRelativeTime(doc.updatedAt, now)}
                          </time>
                        </span>
                      </span>
                    </Link>
                    <div className="doc-row__actions">
                      <button
                        type="button"
                        className="button button--quiet"
                        data-testid="rename-document"
                        aria-label={`Rename ${title}`}
                        onClick={() => setRenaming({ id: doc.id, draft: doc.title, saving: false })}
                      >
                        Rename
                      </button>
                      <button
                        type="button"
                        className="button button--quiet button--danger"
                        data-testid="delete-document"
                        aria-label={`Delete ${title}`}
                        onClick={() => setPendingDelete(doc)}
                      >
                        Delete
                      </button>
                    </div>
                  </>
                )}
              </li>
            )
          })}
        </ul>
      )}

      {pendingDelete && (
        <ConfirmDialog
          title="Delete document?"
          confirmLabel={deleting ? 'Deleting…' : 'Delete'}
          busy={deleting}
          onConfirm={confirmDelete}
          onCancel={() => setPendingDelete(null)}
        >
          “{pendingDelete.title || NEW_TITLE}” will be permanently deleted for everyone. This cannot be undone.
        </ConfirmDialog>
      )}
    </section>
  )
}
