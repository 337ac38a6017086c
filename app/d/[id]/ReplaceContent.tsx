'use client'

import { useRef, useState } from 'react'
import { ConfirmDialog } from '../../ConfirmDialog'
import { IMPORT_ACCEPT } from '../../importTypes'

type Status = { state: 'idle' } | { state: 'confirming'; file: File } | { state: 'importing'; file: File } | { state: 'done'; name: string } | { state: 'failed'; message: string }

/**
 * "Replace with a file…" (owners and editors): the file's content becomes the document's, as an
 * ordinary change everyone editing sees at once (PUT /api/documents/:id/content, multipart), after a
 * confirmation; the content it replaces is kept as a "Before import" version.
 */
export function ReplaceContent({ documentId }: { documentId: string }) {
  const input = useRef<HTMLInputElement>(null)
  const [status, setStatus] = useState<Status>({ state: 'idle' })

  const replace = async (file: File) => {
    setStatus({ state: 'importing', file })
    const form = new FormData()
    form.append('file', file, file.name)
    try {
      const response = await fetch(`/api/documents/${encodeURIComponent(documentId)}/content`, { method: 'PUT', body: form, cache: 'no-store' })
      if (response.ok) return setStatus({ state: 'done', name: file.name })
      const body = (await response.json().catch(() => null)) as { error?: unknown } | null
      const reason = typeof body?.error === 'string' ? body.error : `the server answered ${response.status}.`
      setStatus({ state: 'failed', message: `Could not import ${file.name}: ${reason}` })
    } catch {
      setStatus({ state: 'failed', message: `Could not reach the server to import ${file.name}. Nothing was changed; try again.` })
    }
  }

  return (
    <span className="replace-content">
      <input
        ref={input}
        type="file"
        accept={IMPORT_ACCEPT}
        hidden
        data-testid="replace-file"
        onChange={event => {
          const file = event.target.files?.[0]
          event.target.value = ''
          if (file) setStatus({ state: 'confirming', file })
        }}
      />
      <button type="button" className="button" data-testid="replace-content" disabled={status.state === 'importing'} onClick={() => input.current?.click()}>
        Replace with a file…
      </button>
      <span className="replace-content__status" role="status" aria-live="polite" data-testid="replace-status">
        {status.state === 'importing' ? `Importing ${status.file.name}…` : status.state === 'done' ? `Imported ${status.name}.` : ''}
      </span>
      {status.state === 'failed' && (
        <span className="replace-content__error" role="alert">
          {status.message}
        </span>
      )}
      {status.state === 'confirming' && (
        <ConfirmDialog
          title="Replace this document's content?"
          confirmLabel="Replace"
          onConfirm={() => void replace(status.file)}
          onCancel={() => setStatus({ state: 'idle' })}
        >
          The content of {status.file.name} replaces what is in the document now, for everyone editing it. The current content is
          kept as a “Before import” version in History, so this can be undone.
        </ConfirmDialog>
      )}
    </span>
  )
}
