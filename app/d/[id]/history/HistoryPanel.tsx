'use client'

import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { createPortal } from 'react-dom'
import { messageOf } from '../../../apiRequest'
import { canEdit, type Role } from '../../../documentsApi'
import { AuthorAvatar } from './AuthorAvatar'
import { listVersions, type Version } from './historyApi'
import { NameVersionForm } from './NameVersionForm'
import { VersionPane } from './VersionPane'
import { groupByDay, versionLabel, versionTime } from './versionList'

interface HistoryPanelProps {
  documentId: string
  role: Role
}

type Listed = { state: 'loading' } | { state: 'ready'; versions: Version[] } | { state: 'failed'; message: string }

/**
 * The "History" button and, once opened, the version list beside the document. A selected version
 * is shown read-only over the live editor, which stays connected underneath and so already shows
 * a restore when the version view closes.
 */
export function HistoryPanel({ documentId, role }: HistoryPanelProps) {
  const [open, setOpen] = useState(false)
  const buttonRef = useRef<HTMLButtonElement>(null)

  const close = useCallback(() => {
    setOpen(false)
    buttonRef.current?.focus()
  }, [])

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="button history-button"
        data-testid="history-button"
        aria-expanded={open}
        onClick={() => setOpen(o => !o)}
      >
        History
      </button>
      {open && createPortal(<History documentId={documentId} role={role} onClose={close} />, document.body)}
    </>
  )
}

function History({ documentId, role, onClose }: HistoryPanelProps & { onClose: () => void }) {
  const headingId = useId()
  const [listed, setListed] = useState<Listed>({ state: 'loading' })
  const [selectedId, setSelectedId] = useState<string | null>(null)
  const [focusedId, setFocusedId] = useState<string | null>(null)
  const [naming, setNaming] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)
  const confirming = useRef(false)
  const listRef = useRef<HTMLUListElement>(null)
  const headingRef = useRef<HTMLHeadingElement>(null)
  const editor = canEdit(role)

  const refresh = useCallback(async () => {
    try {
      setListed({ state: 'ready', versions: await listVersions(documentId) })
    } catch (error) {
      setListed({ state: 'failed', message: messageOf(error) })
    }
  }, [documentId])

  useEffect(() => {
    void refresh()
    headingRef.current?.focus()
  }, [refresh])

  const closeVersion = useCallback(() => {
    const id = selectedId
    setSelectedId(null)
    if (id) listRef.current?.querySelector<HTMLButtonElement>(`[data-version-id="${CSS.escape(id)}"]`)?.focus()
  }, [selectedId])

  // Escape backs out one layer: the version view, then the panel. The restore confirmation
  // handles its own Escape.
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || confirming.current) return
      if (selectedId) closeVersion()
      else onClose()
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [selectedId, closeVersion, onClose])

  const setConfirming = useCallback((value: boolean) => {
    confirming.current = value
  }, [])

  const versions = listed.state === 'ready' ? listed.versions : []
  const selectedIndex = versions.findIndex(v => v.id === selectedId)
  const selected = selectedIndex >= 0 ? versions[selectedIndex] : null
  const tabStop = focusedId && versions.some(v => v.id === focusedId) ? focusedId : (selectedId ?? versions[0]?.id ?? null)

  // Arrow keys move between versions (one tab stop for the whole list); Enter or Space opens one.
  const onListKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const buttons = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('[data-version-id]') ?? [])]
    const at = buttons.findIndex(b => b === document.activeElement)
    let next = -1
    if (event.key === 'ArrowDown') next = Math.min(buttons.length - 1, at + 1)
    else if (event.key === 'ArrowUp') next = Math.max(0, at - 1)
    else if (event.key === 'Home') next = 0
    else if (event.key === 'End') next = buttons.length - 1
    else return
    event.preventDefault()
    buttons[next]?.focus()
    setFocusedId(buttons[next]?.dataset.versionId ?? null)
  }

  return (
    <div className="history" data-testid="history">
      {selected && (
        <VersionPane
          key={selected.id}
          documentId={documentId}
          version={selected}
          older={versions.slice(selectedIndex + 1)}
          canRestore={editor}
          onConfirmingChange={setConfirming}
          onClose={closeVersion}
          onRestored={version => {
            setSelectedId(null)
            setNotice(`Restored “${versionLabel(version)}”. Everyone editing now sees it.`)
            void refresh()
          }}
        />
      )}
      <aside className="history-panel" aria-labelledby={headingId} data-testid="history-panel">
        <div className="history-panel__header">
          <h2 id={headingId} ref={headingRef} tabIndex={-1} className="history-panel__title">
            Version history
          </h2>
          <button type="button" className="button button--quiet" data-testid="close-history" aria-label="Close version history" onClick={onClose}>
            ×
          </button>
        </div>

        {editor &&
          (naming ? (
            <NameVersionForm
              documentId={documentId}
              onCancel={() => setNaming(false)}
              onNamed={version => {
                setNaming(false)
                setNotice(`Named this version “${versionLabel(version)}”.`)
                void refresh()
              }}
            />
          ) : (
            <button type="button" className="button history-panel__name" data-testid="name-version" onClick={() => setNaming(true)}>
              Name this version
            </button>
          ))}

        {notice && (
          <p className="history-panel__notice" role="status" data-testid="history-notice">
            {notice}
          </p>
        )}

        {listed.state === 'loading' && (
          <p className="history-panel__message" aria-busy="true">
            Loading versions…
          </p>
        )}
        {listed.state === 'failed' && (
          <div className="history-panel__message" role="alert">
            <p>Could not load the versions: {listed.message}</p>
            <button type="button" className="button" onClick={() => void refresh()}>
              Try again
            </button>
          </div>
        )}
        {listed.state === 'ready' && versions.length === 0 && (
          <p className="history-panel__message">No versions yet. One is kept automatically as the document is edited.</p>
        )}
        {listed.state === 'ready' && versions.length > 0 && (
          <ul ref={listRef} className="history-list" aria-label="Versions, newest first" onKeyDown={onListKeyDown}>
            {groupByDay(versions, new Date()).map(group => (
              <li key={group.label} className="history-list__day">
                <h3 className="history-list__day-label">{group.label}</h3>
                <ul className="history-list__versions">
                  {group.versions.map(version => (
                    <li key={version.id}>
                      <button
                        type="button"
                        className="history-version"
                        data-testid="version-item"
                        data-version-id={version.id}
                        aria-current={version.id === selectedId ? 'true' : undefined}
                        tabIndex={version.id === tabStop ? 0 : -1}
                        onFocus={() => setFocusedId(version.id)}
                        onClick={() => setSelectedId(version.id)}
                      >
                        <span className="history-version__time">{versionTime(version)}</span>
                        <span className={version.kind === 'named' ? 'history-version__name history-version__name--named' : 'history-version__name'}>
                          {versionLabel(version)}
                        </span>
                        <span className="history-version__authors">
                          {version.authors.map(author => (
                            <AuthorAvatar key={author.id} author={author} />
                          ))}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </aside>
    </div>
  )
}
