'use client'

import { useId, useState, type FormEvent } from 'react'
import { authErrorMessage } from '../authMessages'

/** The same answer whether or not the address has an account: nobody can probe addresses here. */
const SENT =
  'If an account uses this address, an email with a link to choose a new password is on its way. The link works for an hour. Check your spam folder if it does not arrive.'

export function ForgotPasswordForm() {
  const emailId = useId()
  const [email, setEmail] = useState('')
  const [busy, setBusy] = useState(false)
  const [sent, setSent] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) {
      setError('Enter the email address of your account, for example ada@example.com.')
      return
    }
    setBusy(true)
    setError(null)
    try {
      const response = await fetch('/api/auth/request-password-reset', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: email.trim() }),
      })
      if (response.status === 429) setError('Too many requests from here. Wait a minute and try again.')
      else if (!response.ok) setError(authErrorMessage({ ...((await response.json().catch(() => null)) as { code?: string; message?: string } | null), status: response.status }))
      else setSent(true)
    } catch {
      setError('Could not reach the server. Check your connection and try again.')
    } finally {
      setBusy(false)
    }
  }

  if (sent) {
    return (
      <div className="banner banner--info" role="status" data-testid="forgot-sent">
        {SENT}
      </div>
    )
  }
  return (
    <form className="auth__form" onSubmit={submit} noValidate>
      <p className="auth__text">Enter the email address of your account and we will send you a link to choose a new password.</p>
      <div className="field">
        <label className="field__label" htmlFor={emailId}>
          Email
        </label>
        <input
          id={emailId}
          className="input"
          data-testid="forgot-email"
          type="email"
          autoComplete="email"
          autoFocus
          value={email}
          onChange={e => setEmail(e.target.value)}
        />
      </div>
      {error && (
        <div className="banner banner--error" role="alert" data-testid="forgot-error">
          {error}
        </div>
      )}
      <button type="submit" className="button button--primary auth__submit" data-testid="forgot-submit" disabled={busy}>
        {busy ? 'Sending…' : 'Send me a link'}
      </button>
    </form>
  )
}
