'use client'

import { useRouter } from 'next/navigation'
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import { messageOf, signInPath } from './apiRequest'
import { ConfirmDialog } from './ConfirmDialog'
import { ImportDocument } from './ImportDocument'
import { DocumentRow, UNTITLED, type RenameDraft } from './DocumentRow'
import {
  ApiError,
  createDocument,
  deleteDocument,
  listDocuments,
  renameDocument,
  type DocumentSummary,
} from './documentsApi'

const byMostRecent = (a: DocumentSummary, b: DocumentSummary) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt)

const PAGE = 100
// The server's largest page: a refresh reloads what is on screen in one request, up to this.
const MAX_PAGE = 500

export function DocumentList() {
  const router = useRouter()
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)
  const [renaming, setRenaming] = useState<RenameDraft | null>(null)
  const [pendingDelete, setPendingDelete] = useState<DocumentSummary | null>(null)
  const [deleting, setDeleting] = useState(false)
  const [now, setNow] = useState(() => Date.now())
  const [loadFailed, setLoadFailed] = useState(false)
  const [nextCursor, setNextCursor] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const shown = useRef(PAGE)

  const fail = useCallback(
    (what: string, e: unknown) => {
      // The session ended (signed out in another tab, expired): sign in again and come back.
      if (e instanceof ApiError && e.status === 401) router.replace(signInPath('/'))
      else setError(`${what}: ${messageOf(e)}`)
    },
    [router],
  )

  const load = useCallback(async () => {
    try {
      // A refresh keeps as many documents on screen as were there, so "Show more" is not undone.
      const page = await listDocuments({ limit: Math.min(MAX_PAGE, Math.max(PAGE, shown.current)) })
      shown.current = page.documents.length
      setDocuments(page.documents.sort(byMostRecent))
      setNextCursor(page.nextCursor)
      setNow(Date.now())
      setLoadFailed(false)
    } catch (e) {
      fail('Could not load documents', e)
      setLoadFailed(true)
    }
  }, [fail])

  useEffect(() => {
    void load()
    // Others edit and share too: refresh when the writer comes back to this tab.
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

  const showMore = async () => {
    if (!nextCursor || loadingMore) return
    setLoadingMore(true)
    try {
      const page = await listDocuments({ limit: PAGE, cursor: nextCursor })
      setDocuments(list => {
        const known = new Set((list ?? []).map(d => d.id))
        const merged = [...(list ?? []), ...page.documents.filter(d => !known.has(d.id))].sort(byMostRecent)
        shown.current = merged.length
        return merged
      })
      setNextCursor(page.nextCursor)
    } catch (e) {
      fail('Could not load more documents', e)
    } finally {
      setLoadingMore(false)
    }
  }

  const create = async () => {
    setCreating(true)
    setError(null)
    try {
      const created = await createDocument(UNTITLED)
      router.push(created.url)
    } catch (e) {
      fail('Could not create a document', e)
      setCreating(false)
    }
  }

  const commitRename = async () => {
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
      setDocuments(list => (list ?? []).map(d => (d.id === updated.id ? { ...d, ...updated } : d)).sort(byMostRecent))
      setRenaming(null)
      setError(null)
    } catch (e) {
      fail('Could not rename the document', e)
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
      fail('Could not delete the document', e)
    } finally {
      setDeleting(false)
      setPendingDelete(null)
    }
  }

  const rows = (list: DocumentSummary[], showRole: boolean) => (
    <ul className="doc-list">
      {list.map(doc => (
        <DocumentRow
          key={doc.id}
          doc={doc}
          now={now}
          showRole={showRole}
          renaming={renaming?.id === doc.id ? renaming : null}
          onStartRename={() => setRenaming({ id: doc.id, draft: doc.title, saving: false })}
          onDraftChange={draft => setRenaming(r => (r ? { ...r, draft } : r))}
          onCommitRename={() => void commitRename()}
          onCancelRename={() => setRenaming(null)}
          onDelete={() => setPendingDelete(doc)}
        />
      ))}
    </ul>
  )

  let content: ReactNode
  if (documents === null) {
    content = loadFailed ? (
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
  } else {
    const owned = documents.filter(d => d.role === 'owner')
    const shared = documents.filter(d => d.role !== 'owner')
    content = (
      <>
        <section className="documents__section" data-testid="owned-documents" aria-labelledby="owned-heading">
          <h2 id="owned-heading" className="documents__section-title">
            My documents
          </h2>
          {owned.length === 0 ? (
            <div className="documents__empty" data-testid="empty-state">
              <p className="documents__empty-title">No documents yet</p>
              <p>Create your first document with “New document”, then share it with the people you write with.</p>
            </div>
          ) : (
            rows(owned, false)
          )}
        </section>
        <section className="documents__section" data-testid="shared-documents" aria-labelledby="shared-heading">
          <h2 id="shared-heading" className="documents__section-title">
            Shared with me
          </h2>
          {shared.length === 0 ? (
            <p className="documents__none" data-testid="shared-empty">
              Nothing yet. Documents others share with you, or that you join through a link, appear here.
            </p>
          ) : (
            rows(shared, true)
          )}
        </section>
        {nextCursor && (
          <div className="documents__more">
            <button type="button" className="button" data-testid="show-more" onClick={() => void showMore()} disabled={loadingMore}>
              {loadingMore ? 'Loading…' : 'Show more documents'}
            </button>
          </div>
        )}
      </>
    )
  }

  return (
    <div className="documents">
      <div className="documents__header">
        <h1>Documents</h1>
        <ImportDocument />
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

      {content}

      {pendingDelete && (
        <ConfirmDialog
          title="Delete document?"
          confirmLabel={deleting ? 'Deleting…' : 'Delete'}
          busy={deleting}
          onConfirm={confirmDelete}
          onCancel={() => setPendingDelete(null)}
        >
          “{pendingDelete.title || UNTITLED}” will be permanently deleted for everyone. This cannot be undone.
        </ConfirmDialog>
      )}
    </div>
  )
}
