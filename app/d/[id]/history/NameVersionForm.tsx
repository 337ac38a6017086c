'use client'

import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { messageOf } from '../../../apiRequest'
import { nameVersion, type Version } from './historyApi'

interface NameVersionFormProps {
  documentId: string
  onNamed: (version: Version) => void
  onCancel: () => void
}

/** Names the document as it is now. On a refusal the typed name stays, with the server's reason. */
export function NameVersionForm({ documentId, onNamed, onCancel }: NameVersionFormProps) {
  const inputId = useId()
  const errorId = useId()
  const inputRef = useRef<HTMLInputElement>(null)
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    inputRef.current?.focus()
  }, [])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const trimmed = name.trim()
    if (!trimmed) {
      setError('Give the version a name, such as “First draft”.')
      inputRef.current?.focus()
      return
    }
    setBusy(true)
    setError(null)
    try {
      onNamed(await nameVersion(documentId, trimmed))
    } catch (failure) {
      setError(`Could not name this version: ${messageOf(failure)}`)
      setBusy(false)
      inputRef.current?.focus()
    }
  }

  return (
    <form
      className="history-name-form"
      data-testid="name-version-form"
      onSubmit={event => void submit(event)}
      onKeyDown={event => {
        // Escape leaves the form, not the whole history panel.
        if (event.key === 'Escape' && !busy) {
          event.stopPropagation()
          onCancel()
        }
      }}
    >
      <label htmlFor={inputId} className="history-name-form__label">
        Name for the document as it is now
      </label>
      <input
        ref={inputRef}
        id={inputId}
        className="input"
        data-testid="version-name-input"
        value={name}
        maxLength={200}
        disabled={busy}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={event => setName(event.target.value)}
      />
      {error && (
        <p id={errorId} className="history-name-form__error" role="alert">
          {error}
        </p>
      )}
      <div className="history-name-form__actions">
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" data-testid="save-version-name" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  )
}
