'use client'

import Link from 'next/link'
import { canEdit, type DocumentSummary } from './documentsApi'
import { RoleBadge } from './RoleBadge'
import { formatFullTime, formatRelativeTime } from './relativeTime'

export const UNTITLED = 'Untitled document'

export interface RenameDraft {
  id: string
  draft: string
  saving: boolean
}

interface DocumentRowProps {
  doc: DocumentSummary
  now: number
  /** Shared rows say what you may do with the document. */
  showRole: boolean
  /** Sorted by creation: say when each was created. */
  showCreated: boolean
  renaming: RenameDraft | null
  onStartRename: () => void
  onDraftChange: (draft: string) => void
  onCommitRename: () => void
  onCancelRename: () => void
  onDelete: () => void
}

export function DocumentRow({
  doc,
  now,
  showRole,
  showCreated,
  renaming,
  onStartRename,
  onDraftChange,
  onCommitRename,
  onCancelRename,
  onDelete,
}: DocumentRowProps) {
  const title = doc.title || UNTITLED

  return (
    <li className="doc-row" data-testid="document-row" data-document-id={doc.id} data-role={doc.role}>
      {renaming ? (
        <form
          className="doc-row__rename"
          onSubmit={event => {
            event.preventDefault()
            onCommitRename()
          }}
        >
          <input
            className="input"
            data-testid="rename-input"
            aria-label="New title"
            value={renaming.draft}
            autoFocus
            disabled={renaming.saving}
            onChange={e => onDraftChange(e.target.value)}
            onKeyDown={e => {
              if (e.key === 'Escape') onCancelRename()
            }}
          />
          <button type="submit" className="button button--primary" data-testid="rename-save" disabled={renaming.saving}>
            Save
          </button>
          <button type="button" className="button" data-testid="rename-cancel" onClick={onCancelRename}>
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
                {showCreated && (
                  <>
                    {' · Created '}
                    <time dateTime={doc.createdAt} title={formatFullTime(doc.createdAt)} data-testid="document-created">
                      {formatRelativeTime(doc.createdAt, now)}
                    </time>
                  </>
                )}
              </span>
            </span>
          </Link>
          {showRole && <RoleBadge role={doc.role} testId="document-role" />}
          <div className="doc-row__actions">
            {canEdit(doc.role) && (
              <button
                type="button"
                className="button button--quiet"
                data-testid="rename-document"
                aria-label={`Rename ${title}`}
                onClick={onStartRename}
              >
                Rename
              </button>
            )}
            {doc.role === 'owner' && (
              <button
                type="button"
                className="button button--quiet button--danger"
                data-testid="delete-document"
                aria-label={`Delete ${title}`}
                onClick={onDelete}
              >
                Delete
              </button>
            )}
          </div>
        </>
      )}
    </li>
  )
}
