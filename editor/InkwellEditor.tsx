import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { EditorSession } from './EditorSession'
import { OutageBanner, useOutageExplained } from './OutageBanner'
import { Presence } from './Presence'
import { healthUrlOf } from './reconnect'
import { SaveStatusPill, ViewOnlyPill } from './SaveStatus'
import { StoppedOverlay } from './StoppedOverlay'
import { TitleField } from './TitleField'
import type { DocumentRole, InkwellEditorProps } from './types'
import { useCollaboration } from './useCollaboration'
import './editor.css'

export function InkwellEditor({
  url,
  documentId,
  user,
  token = '',
  title: titleProp = '',
  onRename,
  onTitleChange,
  onStatusChange,
  onRoleChange,
  onError,
  offline = true,
  theme = 'system',
  healthUrl,
  exit,
  className,
}: InkwellEditorProps) {
  const [title, setTitle] = useState(titleProp)
  const [notice, setNotice] = useState<string | null>(null)
  // The connection's notice comes and goes with the problem; dismissing hides only this one.
  const [dismissedNotice, setDismissedNotice] = useState<string | null>(null)

  useEffect(() => {
    setTitle(titleProp)
  }, [titleProp])

  const callbacks = useRef({ onRename, onTitleChange, onStatusChange, onRoleChange, onError })
  useLayoutEffect(() => {
    callbacks.current = { onRename, onTitleChange, onStatusChange, onRoleChange, onError }
  })

  const reportError = useCallback((message: string) => callbacks.current.onError?.(message), [])
  const reportRole = useCallback((role: DocumentRole) => callbacks.current.onRoleChange?.(role), [])

  const collaboration = useCollaboration({
    url,
    documentId,
    offline,
    token,
    onRemoteTitle: setTitle,
    onRoleChange: reportRole,
    onError: reportError,
    healthUrl: healthUrl === undefined ? healthUrlOf(url) : healthUrl,
  })
  const { session, status, unsaved, loaded, failure, withdrawn, access } = collaboration
  const connectionNotice = collaboration.notice !== dismissedNotice ? collaboration.notice : null
  useEffect(() => {
    // The same problem coming back later is news again.
    if (!collaboration.notice) setDismissedNotice(null)
  }, [collaboration.notice])
  // Only a confirmed writer edits; a viewer's changes would be dropped by the server anyway.
  const editable = loaded && !failure && access === 'read-write'
  const viewOnly = !failure && access === 'readonly'
  const outageExplained = useOutageExplained(status)

  useEffect(() => {
    callbacks.current.onStatusChange?.(status, unsaved)
  }, [status, unsaved])

  useEffect(() => {
    callbacks.current.onTitleChange?.(title)
  }, [title])

  const rename = async (next: string) => {
    const previous = title
    // Optimistic: the server echoes the rename to every open editor anyway.
    setTitle(next)
    setNotice(null)
    try {
      await callbacks.current.onRename?.(next)
    } catch (error) {
      setTitle(previous)
      const message = `Could not rename the document: ${error instanceof Error ? error.message : String(error)}`
      setNotice(message)
      reportError(message)
    }
  }

  return (
    <div className={['inkwell', failure && 'inkwell--stopped', className].filter(Boolean).join(' ')} data-theme={theme === 'system' ? undefined : theme}>
      <div className="inkwell-topbar">
        <TitleField value={title} onCommit={onRename && !failure && !viewOnly ? rename : undefined} />
        <div className="inkwell-topbar__meta">
          <Presence provider={session?.provider ?? null} />
          {viewOnly ? <ViewOnlyPill status={status} /> : <SaveStatusPill status={status} unsaved={unsaved} />}
        </div>
      </div>

      {failure && <StoppedOverlay message={failure} exit={exit} withdrawn={withdrawn} />}
      {outageExplained && !viewOnly && !failure && session && (
        <OutageBanner offline={status === 'offline'} onRetry={session.reconnectNow} />
      )}
      {connectionNotice && !failure && (
        <div className="inkwell-notice" data-testid="connection-notice" role="status">
          <span>{connectionNotice}</span>
          <button type="button" className="inkwell-notice__close" aria-label="Dismiss" onClick={() => setDismissedNotice(connectionNotice)}>
            ×
          </button>
        </div>
      )}
      {notice && !failure && (
        <div className="inkwell-notice" data-testid="editor-notice" role="status">
          <span>{notice}</span>
          <button type="button" className="inkwell-notice__close" aria-label="Dismiss" onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      )}

      {session ? (
        // A withdrawn document is not this reader's any more: hidden from sight, the keyboard and
        // screen readers alike, behind the overlay.
        <div className="inkwell-body" inert={withdrawn} aria-hidden={withdrawn || undefined} data-withdrawn={withdrawn || undefined}>
          <EditorSession key={session.id} session={session} user={user} editable={editable} />
        </div>
      ) : (
        <>
          <div className="inkwell-toolbar-row">
            <div className="inkwell-toolbar" />
          </div>
          <div className="inkwell-page inkwell-page--loading" aria-busy="true" />
        </>
      )}
    </div>
  )
}
