'use client'

import Link from 'next/link'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react'
import { ImportDocument } from './ImportDocument'
import { DocumentRow, UNTITLED, type RenameDraft } from './DocumentRow'
import {
  createDocument,
  deleteDocument,
  listDocuments,
  renameDocument,
  restoreDocument,
  type DocumentSort,
  type DocumentSummary,
} from './documentsApi'
import { useFailure } from './useFailure'
import { ErrorBanner } from './ErrorBanner'

const SORTS: { value: DocumentSort; label: string }[] = [
  { value: 'edited', label: 'Last edited' },
  { value: 'title', label: 'Title' },
  { value: 'created', label: 'Date created' },
]

const asSort = (value: string | null): DocumentSort => SORTS.find(s => s.value === value)?.value ?? 'edited'

// The server's orders, so a renamed or newly merged row lands where a reload would put it.
const ORDERS: Record<DocumentSort, (a: DocumentSummary, b: DocumentSummary) => number> = {
  edited: (a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || (a.id < b.id ? 1 : -1),
  created: (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1),
  title: (a, b) => {
    const [x, y] = [a.title.toLowerCase(), b.title.toLowerCase()]
    return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1
  },
}

const PAGE = 100
// The server's largest page: a refresh reloads what is on screen in one request, up to this.
const MAX_PAGE = 500

export function DocumentList() {
  const router = useRouter()
  const pathname = usePathname()
  const searchParams = useSearchParams()
  // Kept in the address too, so a reload or a shared link keeps the order and the filter; held here
  // as well so the controls change at once, not when the router has caught up.
  const [sort, setSort] = useState(() => asSort(searchParams.get('sort')))
  const [ownedOnly, setOwnedOnly] = useState(() => searchParams.get('owned') === '1')
  const order = ORDERS[sort]
  const sortId = useId()
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null)
  const [creating, setCreating] = useState(false)
  const [renaming, setRenaming] = useState<RenameDraft | null>(null)
  /** The document just moved to the trash, while its Undo is offered. */
  const [trashed, setTrashed] = useState<DocumentSummary | null>(null)
  const [undoing, setUndoing] = useState(false)
  const undoButton = useRef<HTMLButtonElement>(null)
  const [now, setNow] = useState(() => Date.now())
  const [loadFailed, setLoadFailed] = useState(false)
  const [nextCursor, setNextCursor] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const shown = useRef(PAGE)

  const { error, setError, fail } = useFailure('/')

  const load = useCallback(async () => {
    try {
      // A refresh keeps as many documents on screen as were there, so "Show more" is not undone.
      const page = await listDocuments({ limit: Math.min(MAX_PAGE, Math.max(PAGE, shown.current)), sort, ownedOnly })
      shown.current = page.documents.length
      setDocuments(page.documents.sort(order))
      setNextCursor(page.nextCursor)
      setNow(Date.now())
      setLoadFailed(false)
    } catch (e) {
      fail('Could not load documents', e)
      setLoadFailed(true)
    }
  }, [fail, sort, ownedOnly, order])

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
      const page = await listDocuments({ limit: PAGE, cursor: nextCursor, sort, ownedOnly })
      setDocuments(list => {
        const known = new Set((list ?? []).map(d => d.id))
        const merged = [...(list ?? []), ...page.documents.filter(d => !known.has(d.id))].sort(order)
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
      setDocuments(list => (list ?? []).map(d => (d.id === updated.id ? { ...d, ...updated } : d)).sort(order))
      setRenaming(null)
      setError(null)
    } catch (e) {
      fail('Could not rename the document', e)
      setRenaming(r => (r ? { ...r, saving: false } : r))
    }
  }

  // No confirmation: the trash keeps it, and Undo brings it straight back.
  const moveToTrash = async (doc: DocumentSummary) => {
    try {
      await deleteDocument(doc.id)
      setDocuments(list => (list ?? []).filter(d => d.id !== doc.id))
      setTrashed(doc)
      setError(null)
    } catch (e) {
      fail('Could not move the document to the trash', e)
    }
  }

  // The row and its Delete button are gone: keyboard focus goes to Undo rather than to the page's start.
  useEffect(() => {
    if (trashed) undoButton.current?.focus()
  }, [trashed])

  const undoTrash = async () => {
    if (!trashed || undoing) return
    setUndoing(true)
    try {
      await restoreDocument(trashed.id)
      setTrashed(null)
      await load()
    } catch (e) {
      fail('Could not restore the document', e)
    } finally {
      setUndoing(false)
    }
  }

  const showWith = (changes: { sort?: DocumentSort; ownedOnly?: boolean }) => {
    const query = new URLSearchParams(searchParams.toString())
    const nextSort = changes.sort ?? sort
    const nextOwned = changes.ownedOnly ?? ownedOnly
    if (nextSort === 'edited') query.delete('sort')
    else query.set('sort', nextSort)
    if (nextOwned) query.set('owned', '1')
    else query.delete('owned')
    shown.current = PAGE
    setSort(nextSort)
    setOwnedOnly(nextOwned)
    router.replace(query.size ? `${pathname}?${query}` : pathname, { scroll: false })
  }

  const rows = (list: DocumentSummary[], showRole: boolean) => (
    <ul className="doc-list">
      {list.map(doc => (
        <DocumentRow
          key={doc.id}
          doc={doc}
          now={now}
          showRole={showRole}
          showCreated={sort === 'created'}
          renaming={renaming?.id === doc.id ? renaming : null}
          onStartRename={() => setRenaming({ id: doc.id, draft: doc.title, saving: false })}
          onDraftChange={draft => setRenaming(r => (r ? { ...r, draft } : r))}
          onCommitRename={() => void commitRename()}
          onCancelRename={() => setRenaming(null)}
          onDelete={() => void moveToTrash(doc)}
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
        {!ownedOnly && (
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
        )}
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

      <div className="documents__view" data-testid="document-view">
        <div className="documents__sort">
          <label htmlFor={sortId}>Sort by</label>
          <select
            id={sortId}
            className="input select"
            data-testid="sort-documents"
            value={sort}
            onChange={e => showWith({ sort: asSort(e.target.value) })}
          >
            {SORTS.map(option => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <label className="documents__owned">
          <input
            type="checkbox"
            data-testid="owned-only"
            checked={ownedOnly}
            onChange={e => showWith({ ownedOnly: e.target.checked })}
          />
          <span>Owned by me</span>
        </label>
        <Link href="/trash" className="button button--quiet documents__trash-link" data-testid="trash-link">
          Trash
        </Link>
      </div>

      {trashed && (
        <div className="banner banner--info trash-notice" role="status" data-testid="trash-notice">
          <span>
            Moved to trash: “{trashed.title || UNTITLED}”.
          </span>
          <button ref={undoButton} type="button" className="button" data-testid="undo-trash" onClick={() => void undoTrash()} disabled={undoing}>
            {undoing ? 'Restoring…' : 'Undo'}
          </button>
          <button type="button" className="banner__close" aria-label="Dismiss" onClick={() => setTrashed(null)}>
            ×
          </button>
        </div>
      )}

      <ErrorBanner message={error} testId="error-message" onDismiss={() => setError(null)} />

      {content}

    </div>
  )
}
