'use client'

import { authErrorMessage } from '../authMessages'
import Link from 'next/link'
import { useId, useState, type FormEvent } from 'react'
import { MIN_PASSWORD_LENGTH } from '../AuthForm'

const INVALID_LINK = 'This link has already been used, has expired, or was copied incompletely. Ask for a new one.'

export function ResetPasswordForm({ token }: { token: string }) {
  const ids = { password: useId(), repeat: useId(), hint: useId() }
  const [password, setPassword] = useState('')
  const [repeat, setRepeat] = useState('')
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    if (password.length < MIN_PASSWORD_LENGTH) return setError(`Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`)
    if (password !== repeat) return setError('The two passwords are not the same. Type the new password twice.')
    setBusy(true)
    setError(null)
    try {
      const response = await fetch('/api/auth/reset-password', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ newPassword: password, token }),
      })
      const body = (await response.json().catch(() => null)) as { code?: string; message?: string } | null
      if (response.ok) setDone(true)
      else if (body?.code === 'INVALID_TOKEN' || body?.code === 'USER_NOT_FOUND') setError(INVALID_LINK)
      else setError(authErrorMessage({ ...body, status: response.status }))
    } catch {
      setError('Could not reach the server. Check your connection and try again.')
    } finally {
      setBusy(false)
    }
  }

  if (done) {
    return (
      <div className="banner banner--info" role="status" data-testid="reset-done">
        <span>
          Your new password is set, and you are signed out everywhere else. <Link href="/sign-in">Sign in with it</Link>.
        </span>
      </div>
    )
  }
  return (
    <form className="auth__form" onSubmit={submit} noValidate>
      <div className="field">
        <label className="field__label" htmlFor={ids.password}>
          New password
        </label>
        <input
          id={ids.password}
          className="input"
          data-testid="reset-password"
          type="password"
          autoComplete="new-password"
          autoFocus
          aria-describedby={ids.hint}
          value={password}
          onChange={e => setPassword(e.target.value)}
        />
        <p className="field__hint" id={ids.hint}>
          At least {MIN_PASSWORD_LENGTH} characters.
        </p>
      </div>
      <div className="field">
        <label className="field__label" htmlFor={ids.repeat}>
          The same again
        </label>
        <input
          id={ids.repeat}
          className="input"
          data-testid="reset-repeat"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={e => setRepeat(e.target.value)}
        />
      </div>
      {error && (
        <div className="banner banner--error" role="alert" data-testid="reset-error">
          {error}
        </div>
      )}
      <button type="submit" className="button button--primary auth__submit" data-testid="reset-submit" disabled={busy}>
        {busy ? 'Saving…' : 'Set new password'}
      </button>
    </form>
  )
}
