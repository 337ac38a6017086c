'use client'

import { authErrorMessage } from '../authMessages'
import { useId, useState, type FormEvent } from 'react'
import { MIN_PASSWORD_LENGTH } from '../AuthForm'

/**
 * Better Auth's /change-password, plus Inkwell's `revokeApiTokens`: a password changed because it
 * leaked should take the scripts' tokens with it too, so that is offered and on by default.
 */
export function PasswordChange() {
  const ids = { current: useId(), next: useId() }
  const [currentPassword, setCurrentPassword] = useState('')
  const [newPassword, setNewPassword] = useState('')
  const [revokeOtherSessions, setRevokeOtherSessions] = useState(true)
  const [revokeApiTokens, setRevokeApiTokens] = useState(true)
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    if (newPassword.length < MIN_PASSWORD_LENGTH) {
      setOutcome({ ok: false, message: `Choose a new password of at least ${MIN_PASSWORD_LENGTH} characters.` })
      return
    }
    setBusy(true)
    setOutcome(null)
    try {
      const response = await fetch('/api/auth/change-password', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ currentPassword, newPassword, revokeOtherSessions, revokeApiTokens }),
      })
      const body = (await response.json().catch(() => null)) as { code?: string; message?: string } | null
      if (!response.ok) {
        setOutcome({ ok: false, message: authErrorMessage({ ...body, status: response.status }) })
        return
      }
      setCurrentPassword('')
      setNewPassword('')
      const also = [revokeOtherSessions && 'other devices are signed out', revokeApiTokens && 'every API token is revoked'].filter(Boolean)
      setOutcome({ ok: true, message: `Password changed${also.length ? `; ${also.join(' and ')}` : ''}.` })
      // The token list on this page is now stale.
      if (revokeApiTokens) window.location.reload()
    } catch {
      setOutcome({ ok: false, message: 'Could not reach the server. Check your connection and try again.' })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="settings__card" aria-labelledby="password-heading">
      <h2 id="password-heading" className="settings__title">
        Password
      </h2>
      {outcome && (
        <div className={`banner ${outcome.ok ? 'banner--info' : 'banner--error'}`} role={outcome.ok ? 'status' : 'alert'} data-testid="password-outcome">
          <span>{outcome.message}</span>
        </div>
      )}
      <form className="share-form" onSubmit={submit} data-testid="password-form">
        <label className="field__label" htmlFor={ids.current}>
          Current password
        </label>
        <input
          id={ids.current}
          className="input"
          type="password"
          autoComplete="current-password"
          data-testid="password-current"
          value={currentPassword}
          onChange={e => setCurrentPassword(e.target.value)}
        />
        <label className="field__label" htmlFor={ids.next}>
          New password
        </label>
        <input
          id={ids.next}
          className="input"
          type="password"
          autoComplete="new-password"
          data-testid="password-new"
          value={newPassword}
          onChange={e => setNewPassword(e.target.value)}
        />
        <label className="settings__text">
          <input type="checkbox" checked={revokeOtherSessions} onChange={e => setRevokeOtherSessions(e.target.checked)} data-testid="password-revoke-sessions" />{' '}
          Sign out my other devices
        </label>
        <label className="settings__text">
          <input type="checkbox" checked={revokeApiTokens} onChange={e => setRevokeApiTokens(e.target.checked)} data-testid="password-revoke-tokens" />{' '}
          Revoke all my API tokens (scripts using them stop working)
        </label>
        <div className="share-form__row">
          <button type="submit" className="button button--primary" data-testid="password-submit" disabled={busy || !currentPassword || !newPassword}>
            {busy ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </section>
  )
}
