import { useEffect, useId, useRef } from 'react'
import type { EditorExit } from './types'

/**
 * Over the document once the editor stopped for good (access removed, document deleted...): fixed,
 * so a reader scrolled anywhere sees it, and focused, so a keyboard or screen reader user is told
 * at once rather than typing on into a document that no longer listens.
 */
export function StoppedOverlay({ message, exit, withdrawn }: { message: string; exit?: EditorExit; withdrawn: boolean }) {
  const dialog = useRef<HTMLDivElement>(null)
  const messageId = useId()
  useEffect(() => {
    dialog.current?.focus()
  }, [])
  return (
    <div className="inkwell-stopped" data-testid="editor-stopped">
      <div
        ref={dialog}
        className="inkwell-stopped__dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={messageId}
        tabIndex={-1}
      >
        <p id={messageId} className="inkwell-stopped__message" data-testid="editor-error">
          {message}
        </p>
        <div className="inkwell-stopped__actions">
          {exit && (
            <a className="inkwell-stopped__exit" href={exit.href} data-testid="editor-exit">
              {exit.label}
            </a>
          )}
          {/* The other stops (the server could not load or check the document) pass: a reload tries again. */}
          {!withdrawn && (
            <button type="button" className="inkwell-stopped__reload" onClick={() => window.location.reload()}>
              Reload
            </button>
          )}
        </div>
      </div>
    </div>
  )
}
