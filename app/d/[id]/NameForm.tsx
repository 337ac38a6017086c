'use client'

import { useState, type FormEvent } from 'react'

interface NameFormProps {
  initialName?: string
  submitLabel: string
  onSubmit: (name: string) => void
  onCancel?: () => void
}

export const MAX_NAME_LENGTH = 40

export function NameForm({ initialName = '', submitLabel, onSubmit, onCancel }: NameFormProps) {
  const [name, setName] = useState(initialName)
  const trimmed = name.trim()

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (trimmed) onSubmit(trimmed)
  }

  return (
    <form className="name-form" onSubmit={submit}>
      <label className="name-form__label" htmlFor="inkwell-writer-name">
        Your name
      </label>
      <div className="name-form__row">
        <input
          id="inkwell-writer-name"
          className="input"
          data-testid="name-input"
          value={name}
          onChange={event => setName(event.target.value)}
          onKeyDown={event => {
            if (event.key === 'Escape') onCancel?.()
          }}
          placeholder="e.g. Ada Lovelace"
          maxLength={MAX_NAME_LENGTH}
          autoComplete="name"
          autoFocus
          required
        />
        <button type="submit" className="button button--primary" data-testid="name-submit" disabled={!trimmed}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <p className="name-form__hint">Shown to others next to your cursor. Stored only in this browser.</p>
    </form>
  )
}
