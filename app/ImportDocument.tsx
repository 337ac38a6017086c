'use client'

import { useRouter } from 'next/navigation'
import { useCallback, useEffect, useRef, useState } from 'react'
import { signInPath } from './apiRequest'
import { IMPORT_ACCEPT } from './importTypes'

type Status = { state: 'idle' } | { state: 'importing'; name: string } | { state: 'failed'; message: string }

async function errorOf(response: Response): Promise<string> {
  const body: unknown = await response.json().catch(() => null)
  if (typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string') {
    return (body as { error: string }).error
  }
  return `The server refused the file (${response.status} ${response.statusText}).`
}

/**
 * "Import": a file picker, and a file dropped anywhere on the page, become a new document. The
 * file goes as multipart (field "file") to POST /api/documents, which answers the new document's
 * `url`, or `{ error }` with a sentence to show.
 */
export function ImportDocument() {
  const router = useRouter()
  const input = useRef<HTMLInputElement>(null)
  const [status, setStatus] = useState<Status>({ state: 'idle' })
  const [dragging, setDragging] = useState(false)
  const busy = status.state === 'importing'

  const upload = useCallback(
    async (file: File) => {
      setStatus({ state: 'importing', name: file.name })
      const form = new FormData()
      form.append('file', file, file.name)
      let response: Response
      try {
        // No Content-Type header: the browser writes multipart/form-data with its boundary.
        response = await fetch('/api/documents', { method: 'POST', body: form, cache: 'no-store' })
      } catch {
        setStatus({ state: 'failed', message: `Could not reach the server to import ${file.name}. Check your connection and try again.` })
        return
      }
      if (response.status === 401) {
        router.replace(signInPath('/'))
        return
      }
      if (!response.ok) {
        setStatus({ state: 'failed', message: `Could not import ${file.name}: ${await errorOf(response)}` })
        return
      }
      const created = (await response.json().catch(() => null)) as { url?: unknown; id?: unknown } | null
      const url = typeof created?.url === 'string' ? created.url : typeof created?.id === 'string' ? `/d/${created.id}` : null
      if (!url) {
        setStatus({ state: 'failed', message: `${file.name} was imported, but the server did not say where the new document is. Reload the list to find it.` })
        return
      }
      router.push(url)
    },
    [router],
  )

  // Dropping a file anywhere on the page imports it; counting enter/leave keeps the highlight on
  // while the pointer crosses child elements.
  useEffect(() => {
    let depth = 0
    const carriesFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files')
    const onEnter = (event: DragEvent) => {
      if (!carriesFiles(event)) return
      depth++
      setDragging(true)
    }
    const onLeave = (event: DragEvent) => {
      if (!carriesFiles(event)) return
      depth = Math.max(0, depth - 1)
      if (depth === 0) setDragging(false)
    }
    const onOver = (event: DragEvent) => {
      if (carriesFiles(event)) event.preventDefault()
    }
    const onDrop = (event: DragEvent) => {
      if (!carriesFiles(event)) return
      event.preventDefault()
      depth = 0
      setDragging(false)
      const file = event.dataTransfer?.files[0]
      if (file && !busy) void upload(file)
    }
    window.addEventListener('dragenter', onEnter)
    window.addEventListener('dragleave', onLeave)
    window.addEventListener('dragover', onOver)
    window.addEventListener('drop', onDrop)
    return () => {
      window.removeEventListener('dragenter', onEnter)
      window.removeEventListener('dragleave', onLeave)
      window.removeEventListener('dragover', onOver)
      window.removeEventListener('drop', onDrop)
    }
  }, [busy, upload])

  return (
    <div className="import-document">
      <input
        ref={input}
        type="file"
        accept={IMPORT_ACCEPT}
        hidden
        data-testid="import-file"
        onChange={event => {
          const file = event.target.files?.[0]
          event.target.value = '' // the same file can be chosen again after an error
          if (file) void upload(file)
        }}
      />
      <button type="button" className="button" data-testid="import-document" disabled={busy} onClick={() => input.current?.click()}>
        Import
      </button>
      <span className="import-document__status" role="status" aria-live="polite" data-testid="import-status">
        {status.state === 'importing' ? `Importing ${status.name}…` : ''}
      </span>
      {status.state === 'failed' && (
        <p className="import-document__error" role="alert" data-testid="import-error">
          {status.message}
        </p>
      )}
      {dragging && (
        <div className="import-document__drop" aria-hidden="true">
          Drop the file to import it as a new document
        </div>
      )}
    </div>
  )
}
