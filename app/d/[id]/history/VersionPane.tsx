'use client'

import dynamic from 'next/dynamic'
import { useEffect, useId, useState } from 'react'
import { messageOf } from '../../../apiRequest'
import { ConfirmDialog } from '../../../ConfirmDialog'
import type { DiffAuthor } from './diff-marks'
import { restoreVersion, versionContent, versionDiff, type Version, type VersionDiff } from './historyApi'
import { AuthorAvatar } from './AuthorAvatar'
import { changesByAuthor, describeCounts, versionLabel, versionTime } from './versionList'

// Browser-only and loaded on first use: TipTap stays out of the page until someone opens a version.
const VersionView = dynamic(() => import('./VersionView').then(m => m.VersionView), {
  ssr: false,
  loading: () => <p className="history-view__message" aria-busy="true">Loading the version…</p>,
})

/** The select's value for "against the version just before it". */
const PREVIOUS = 'previous'
/** The select's value for "no comparison: the version alone". */
const NONE = 'none'

type Loaded = { state: 'loading' } | { state: 'ready'; diff: VersionDiff; comparedWith: Version | null } | { state: 'failed'; message: string }

interface VersionPaneProps {
  documentId: string
  version: Version
  /** Versions older than this one, newest first: what it can be compared with. */
  older: Version[]
  canRestore: boolean
  /** True while the restore confirmation is open, so Escape there closes only the dialog. */
  onConfirmingChange: (confirming: boolean) => void
  onClose: () => void
  onRestored: (version: Version) => void
}

const NO_CHANGES = { insertions: 0, deletions: 0, formatting: 0 }

/** One version read-only in place of the live editor, with its changes against an older one. Key it by version id. */
export function VersionPane({ documentId, version, older, canRestore, onConfirmingChange, onClose, onRestored }: VersionPaneProps) {
  const headingId = useId()
  const compareId = useId()
  const [compareWith, setCompareWith] = useState<string>(PREVIOUS)
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' })
  const [attempt, setAttempt] = useState(0)
  const [confirming, setConfirming] = useState(false)
  const [restoring, setRestoring] = useState(false)
  const [restoreError, setRestoreError] = useState<string | null>(null)

  const comparedWith = compareWith === NONE ? null : compareWith === PREVIOUS ? (older[0] ?? null) : (older.find(v => v.id === compareWith) ?? null)
  const comparedWithId = comparedWith?.id ?? null

  useEffect(() => {
    onConfirmingChange(confirming)
  }, [confirming, onConfirmingChange])

  useEffect(() => {
    let current = true
    setLoaded({ state: 'loading' })
    const request = comparedWith
      ? versionDiff(documentId, comparedWith.id, version.id)
      : versionContent(documentId, version.id).then(content => ({ content, authors: [], changes: NO_CHANGES, truncated: false }))
    request.then(
      diff => current && setLoaded({ state: 'ready', diff, comparedWith }),
      error => current && setLoaded({ state: 'failed', message: messageOf(error) }),
    )
    return () => {
      current = false
    }
    // comparedWith is derived from these ids; the object itself changes on every list refresh.
  }, [documentId, version.id, comparedWithId, attempt])

  const restore = async () => {
    setRestoring(true)
    setRestoreError(null)
    try {
      await restoreVersion(documentId, version.id)
      setConfirming(false)
      onRestored(version)
    } catch (error) {
      setConfirming(false)
      setRestoreError(`Could not restore this version: ${messageOf(error)}`)
    } finally {
      setRestoring(false)
    }
  }

  const label = versionLabel(version)
  const when = new Date(version.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })

  return (
    <>
      <section className="history-view" aria-labelledby={headingId} data-testid="version-pane">
        <div className="history-view__bar">
          <div className="history-view__heading">
            <h2 id={headingId} className="history-view__title">
              {label}
            </h2>
            <span className="history-view__when">{when}</span>
          </div>
          <div className="history-view__controls">
            {older.length > 0 && (
              <>
                <label htmlFor={compareId} className="history-view__compare-label">
                  Compare with
                </label>
                <select
                  id={compareId}
                  className="input history-view__compare"
                  data-testid="compare-with"
                  value={compareWith}
                  onChange={event => setCompareWith(event.target.value)}
                >
                  <option value={PREVIOUS}>{`Previous version (${versionLabel(older[0])}, ${versionTime(older[0])})`}</option>
                  {older.slice(1).map(v => (
                    <option key={v.id} value={v.id}>
                      {versionLabel(v)}, {new Date(v.createdAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })}
                    </option>
                  ))}
                  <option value={NONE}>Nothing: show this version alone</option>
                </select>
              </>
            )}
            {canRestore && (
              <button type="button" className="button button--primary" data-testid="restore-version" onClick={() => setConfirming(true)}>
                Restore this version
              </button>
            )}
            <button type="button" className="button" data-testid="close-version" onClick={onClose}>
              Back to the document
            </button>
          </div>
        </div>

        {restoreError && (
          <div className="banner banner--error history-view__banner" role="alert">
            {restoreError}
          </div>
        )}

        {loaded.state === 'loading' && (
          <p className="history-view__message" aria-busy="true">
            Loading the version…
          </p>
        )}
        {loaded.state === 'failed' && (
          <div className="history-view__message" role="alert" data-testid="version-error">
            <p>Could not load this version: {loaded.message}</p>
            <button type="button" className="button button--primary" onClick={() => setAttempt(n => n + 1)}>
              Try again
            </button>
          </div>
        )}
        {loaded.state === 'ready' && (
          <>
            <Legend diff={loaded.diff} comparedWith={loaded.comparedWith} />
            <VersionView content={loaded.diff.content} authors={loaded.diff.authors} label={`Version “${label}”, ${when}`} />
          </>
        )}

      </section>
      {/* Outside the fixed section, whose stacking context would put the backdrop under the panel. */}
      {confirming && (
        <ConfirmDialog
          title="Restore this version?"
          confirmLabel={restoring ? 'Restoring…' : 'Restore'}
          busy={restoring}
          onConfirm={() => void restore()}
          onCancel={() => setConfirming(false)}
        >
          The document goes back to “{label}” ({when}) for everyone editing it. Its current state is kept as a
          “Before restore” version, so this can be undone.
        </ConfirmDialog>
      )}
    </>
  )
}

function Legend({ diff, comparedWith }: { diff: VersionDiff; comparedWith: Version | null }) {
  if (!comparedWith) {
    return (
      <p className="history-legend history-legend--plain" data-testid="diff-legend">
        Shown alone, without changes marked.
      </p>
    )
  }
  const counts = changesByAuthor(diff.content)
  const total = diff.changes.insertions + diff.changes.deletions + diff.changes.formatting
  const byId = new Map(diff.authors.map(author => [author.id, author]))
  const rows: { author: DiffAuthor | null; text: string }[] = [...counts].map(([id, c]) => ({
    author: id ? (byId.get(id) ?? null) : null,
    text: describeCounts(c),
  }))
  return (
    <div className="history-legend" data-testid="diff-legend">
      <p className="history-legend__summary">
        {total === 0
          ? `No changes since “${versionLabel(comparedWith)}”.`
          : `Changes since “${versionLabel(comparedWith)}” (${versionTime(comparedWith)}):`}{' '}
        <span className="history-legend__key">
          <ins className="diff-mark diff-mark--inserted">added</ins> <del className="diff-mark diff-mark--deleted">deleted</del>{' '}
          <span className="diff-mark diff-mark--formatted">formatting</span>
        </span>
      </p>
      {rows.length > 0 && (
        <ul className="history-legend__authors">
          {rows.map(({ author, text }) => (
            <li key={author?.id ?? 'unknown'} className="history-legend__author" data-testid="legend-author">
              {author ? <AuthorAvatar author={author} /> : <span className="history-avatar history-avatar--unknown" aria-hidden="true">?</span>}
              <span>
                <strong style={author ? { borderBottom: `3px solid ${author.color}` } : undefined}>
                  {author?.name ?? 'Someone unknown'}
                </strong>
                : {text}
              </span>
            </li>
          ))}
        </ul>
      )}
      {diff.truncated && (
        <p className="history-legend__truncated" role="status" data-testid="truncated-note">
          This comparison is too large to mark every change; the first 2,000 are shown.
        </p>
      )}
    </div>
  )
}
