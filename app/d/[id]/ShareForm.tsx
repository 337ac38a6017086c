'use client'

import { useId, useState, type FormEvent } from 'react'
import type { Role } from '../../documentsApi'
import { RoleSelect } from './RoleSelect'

interface ShareFormProps {
  busy: boolean
  /** Resolves true when shared, so the address can be cleared for the next one. */
  onShare: (email: string, role: Role) => Promise<boolean>
}

export function ShareForm({ busy, onShare }: ShareFormProps) {
  const emailId = useId()
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('editor')

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const address = email.trim()
    if (!address || busy) return
    if (await onShare(address, role)) setEmail('')
  }

  return (
    <form className="share-form" onSubmit={submit}>
      <label className="field__label" htmlFor={emailId}>
        Add people by email
      </label>
      <div className="share-form__row">
        <input
          id={emailId}
          className="input share-form__email"
          data-testid="share-email"
          type="email"
          placeholder="name@example.com"
          autoComplete="off"
          value={email}
          onChange={e => setEmail(e.target.value)}
        />
        <RoleSelect value={role} onChange={setRole} testId="share-role" label="Role for the new person" />
        <button type="submit" className="button button--primary" data-testid="share-submit" disabled={busy || !email.trim()}>
          Share
        </button>
      </div>
      <p className="field__hint">Someone without an account yet gets a one-time invitation link (emailed when this instance sends email).</p>
    </form>
  )
}
