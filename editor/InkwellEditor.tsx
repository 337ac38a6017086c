import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { EditorSession } from './EditorSession'
import { Presence } from './Presence'
import { SaveStatusPill } from './SaveStatus'
import { TitleField } from './TitleField'
import type { InkwellEditorProps } from './types'
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
  onError,
  className,
}: InkwellEditorProps) {
  const [title, setTitle] = useState(titleProp)
  const [notice, setNotice] = useState<string | null>(null)

  useEffect(() => {
    setTitle(titleProp)
  }, [titleProp])

  const callbacks = useRef({ onRename, onTitleChange, onStatusChange, onError })
  useLayoutEffect(() => {
    callbacks.current = { onRename, onTitleChange, onStatusChange, onError }
  })

  const reportError = useCallback((message: string) => callbacks.current.onError?.(message), [])

  const { session, status, loaded, failure } = useCollaboration({
    url,
    documentId,
    token,
    onRemoteTitle: setTitle,
    onError: reportError,
  })

  useEffect(() => {
    callbacks.current.onStatusChange?.(status)
  }, [status])

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
    <div className={className ? `inkwell ${className}` : 'inkwell'}>
      <div className="inkwell-topbar">
        <TitleField value={title} onCommit={onRename && !failure ? rename : undefined} />
        <div className="inkwell-topbar__meta">
          <Presence provider={session?.provider ?? null} />
          <SaveStatusPill status={status} />
        </div>
      </div>

      {failure && (
        <div className="inkwell-error" data-testid="editor-error" role="alert">
          {failure}
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
        <EditorSession key={session.id} session={session} user={user} editable={loaded && !failure} />
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
