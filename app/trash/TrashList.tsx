'use client'

import Link from 'next/link'
import { useCallback, useEffect, useState } from 'react'
import { ConfirmDialog } from '../ConfirmDialog'
import { UNTITLED } from '../DocumentRow'
import { deleteDocumentForever, listTrash, restoreDocument, type TrashedDocument } from '../documentsApi'
import { formatFullTime, formatRelativeTime } from '../relativeTime'
import { useFailure } from '../useFailure'
import { ErrorBanner } from '../ErrorBanner'

/** "in 30 days", "in 5 hours": when a trashed document goes for good. */
function untilPurge(iso: string, now: number): string {
  const hours = (Date.parse(iso) - now) / 3_600_000
  if (hours >= 36) return `in ${Math.round(hours / 24)} days`
  const whole = Math.max(1, Math.round(hours))
  return `in ${whole} hour${whole === 1 ? '' : 's'}`
}

export function TrashList() {
  const [documents, setDocuments] = useState<TrashedDocument[] | null>(null)
  const [trashDays, setTrashDays] = useState<number | null>(null)
  const [notice, setNotice] = useState<{ text: string; url?: string } | null>(null)
  const [busyId, setBusyId] = useState<string | null>(null)
  const [pendingForever, setPendingForever] = useState<TrashedDocument | null>(null)
  const [now, setNow] = useState(() => Date.now())

  const { error, setError, fail } = useFailure('/trash')

  const load = useCallback(async () => {
    try {
      const trash = await listTrash()
      setDocuments(trash.documents)
      setTrashDays(trash.trashDays)
      setNow(Date.now())
    } catch (e) {
      fail('Could not load the trash', e)
    }
  }, [fail])

  useEffect(() => {
    void load()
  }, [load])

  const restore = async (doc: TrashedDocument) => {
    setBusyId(doc.id)
    try {
      const restored = await restoreDocument(doc.id)
      setDocuments(list => (list ?? []).filter(d => d.id !== doc.id))
      setNotice({ text: `Restored “${doc.title || UNTITLED}”.`, url: restored.url })
      setError(null)
    } catch (e) {
      fail('Could not restore the document', e)
    } finally {
      setBusyId(null)
    }
  }

  const deleteForever = async () => {
    const doc = pendingForever
    if (!doc) return
    setBusyId(doc.id)
    try {
      await deleteDocumentForever(doc.id)
      setDocuments(list => (list ?? []).filter(d => d.id !== doc.id))
      setNotice({ text: `Deleted “${doc.title || UNTITLED}” forever.` })
      setError(null)
    } catch (e) {
      fail('Could not delete the document', e)
    } finally {
      setBusyId(null)
      setPendingForever(null)
    }
  }

  return (
    <div className="documents trash">
      <div className="documents__header">
        <h1>Trash</h1>
        <Link href="/" className="button button--quiet" data-testid="back-to-documents">
          Back to documents
        </Link>
      </div>
      {trashDays !== null && (
        <p className="trash__intro">
          Documents you delete stay here for {trashDays} days, hidden from everyone, then they are deleted forever with their
          history.
        </p>
      )}

      {notice && (
        <div className="banner banner--info" role="status" data-testid="trash-page-notice">
          <span>
            {notice.text}{' '}
            {notice.url && (
              <Link href={notice.url} data-testid="open-restored">
                Open it
              </Link>
            )}
          </span>
          <button type="button" className="banner__close" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}
      <ErrorBanner message={error} testId="error-message" onDismiss={() => setError(null)} />

      {documents === null ? (
        !error && (
          <p className="documents__loading" aria-busy="true">
            Loading the trash…
          </p>
        )
      ) : documents.length === 0 ? (
        <div className="documents__empty" data-testid="trash-empty">
          <p className="documents__empty-title">The trash is empty</p>
          <p>Documents you delete from your list appear here until they are deleted forever.</p>
        </div>
      ) : (
        <ul className="doc-list" data-testid="trash-list">
          {documents.map(doc => {
            const title = doc.title || UNTITLED
            return (
              <li key={doc.id} className="doc-row trash-row" data-testid="trash-row" data-document-id={doc.id}>
                <span className="doc-row__link trash-row__text">
                  <span className="doc-row__icon" aria-hidden="true" />
                  <span className="doc-row__text">
                    <span className="doc-row__title" data-testid="trash-title">
                      {title}
                    </span>
                    <span className="doc-row__meta">
                      Deleted{' '}
                      <time dateTime={doc.deletedAt} title={formatFullTime(doc.deletedAt)}>
                        {formatRelativeTime(doc.deletedAt, now)}
                      </time>
                      {doc.deletedBy && ` by ${doc.deletedBy.name}`} · deleted forever{' '}
                      <time dateTime={doc.purgeAt} title={formatFullTime(doc.purgeAt)} data-testid="purge-at">
                        {untilPurge(doc.purgeAt, now)}
                      </time>
                    </span>
                  </span>
                </span>
                <div className="doc-row__actions">
                  <button
                    type="button"
                    className="button button--quiet"
                    data-testid="restore-document"
                    aria-label={`Restore ${title}`}
                    disabled={busyId === doc.id}
                    onClick={() => void restore(doc)}
                  >
                    Restore
                  </button>
                  <button
                    type="button"
                    className="button button--quiet button--danger"
                    data-testid="delete-forever"
                    aria-label={`Delete forever ${title}`}
                    disabled={busyId === doc.id}
                    onClick={() => setPendingForever(doc)}
                  >
                    Delete forever
                  </button>
                </div>
              </li>
            )
          })}
        </ul>
      )}

      {pendingForever && (
        <ConfirmDialog
          title="Delete forever?"
          confirmLabel={busyId === pendingForever.id ? 'Deleting…' : 'Delete forever'}
          busy={busyId === pendingForever.id}
          onConfirm={() => void deleteForever()}
          onCancel={() => setPendingForever(null)}
        >
          “{pendingForever.title || UNTITLED}” and its whole history will be deleted for everyone. This cannot be undone.
        </ConfirmDialog>
      )}
    </div>
  )
}
