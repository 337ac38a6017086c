'use client'

import { useCallback, useEffect, useId, useState } from 'react'
import { ConfirmDialog } from '../ConfirmDialog'
import { CopyButton } from '../CopyButton'
import { formatFullTime, formatRelativeTime } from '../relativeTime'
import { changeUser, getSettings, issueResetLink, listUsers, setSignupMode, type AdminUser, type InstanceSettings, type SignupMode } from './adminApi'
import { useFailure } from '../useFailure'
import { ErrorBanner } from '../ErrorBanner'

const SIGNUP_CHOICES: { mode: SignupMode; label: string; hint: string }[] = [
  { mode: 'open', label: 'Open', hint: 'Anyone who can reach this server can create an account.' },
  { mode: 'invitation', label: 'By invitation only', hint: 'Only people holding an invitation link to a document can create an account.' },
  { mode: 'closed', label: 'Closed', hint: 'Nobody can create an account. Existing accounts keep working.' },
]

function When({ at, now }: { at: string; now: number }) {
  return (
    <time dateTime={at} title={formatFullTime(at)}>
      {formatRelativeTime(at, now)}
    </time>
  )
}

/** Users (disable, admin or not, a password-reset link) and who may sign up. */
export function AdminScreen({ selfId }: { selfId: string }) {
  const signupId = useId()
  const [users, setUsers] = useState<AdminUser[] | null>(null)
  const [settings, setSettings] = useState<InstanceSettings | null>(null)
  const [busy, setBusy] = useState(false)
  const [now, setNow] = useState(() => Date.now())
  const [pendingDisable, setPendingDisable] = useState<AdminUser | null>(null)
  const [resetLink, setResetLink] = useState<{ user: AdminUser; url: string; emailed: boolean; expiresAt: string } | null>(null)

  const { error, setError, fail } = useFailure('/admin')

  const load = useCallback(async () => {
    try {
      const [nextUsers, nextSettings] = await Promise.all([listUsers(), getSettings()])
      setUsers(nextUsers)
      setSettings(nextSettings)
      setNow(Date.now())
    } catch (e) {
      fail('Could not load the admin screen', e)
    }
  }, [fail])

  useEffect(() => void load(), [load])

  const act = async (what: string, action: () => Promise<unknown>) => {
    setBusy(true)
    setError(null)
    try {
      await action()
      await load()
      return true
    } catch (e) {
      fail(what, e)
      return false
    } finally {
      setBusy(false)
    }
  }

  const disable = async () => {
    const target = pendingDisable
    if (!target) return
    await act(`Could not disable ${target.name}`, () => changeUser(target.id, { disabled: true }))
    setPendingDisable(null)
  }

  const reset = (user: AdminUser) =>
    act(`Could not make a reset link for ${user.name}`, async () => {
      const link = await issueResetLink(user.id)
      setResetLink({ user, ...link })
    })

  return (
    <>
      <ErrorBanner message={error} testId="admin-error" onDismiss={() => setError(null)} />

      <section className="settings__card" aria-labelledby="signup-heading">
        <h2 id="signup-heading" className="settings__title">
          Sign-up
        </h2>
        {settings && (
          <>
            <label className="field__label" htmlFor={signupId}>
              Who can create an account
            </label>
            <select
              id={signupId}
              className="input select"
              data-testid="admin-signup-mode"
              value={settings.signup}
              disabled={busy}
              onChange={e => void act('Could not change sign-up', () => setSignupMode(e.target.value as SignupMode))}
            >
              {SIGNUP_CHOICES.map(choice => (
                <option key={choice.mode} value={choice.mode}>
                  {choice.label}
                </option>
              ))}
            </select>
            <p className="settings__text" data-testid="admin-signup-hint">
              {SIGNUP_CHOICES.find(choice => choice.mode === settings.signup)?.hint}
            </p>
          </>
        )}
      </section>

      <section className="settings__card" aria-labelledby="users-heading">
        <h2 id="users-heading" className="settings__title">
          Users
        </h2>
        {resetLink && (
          <div className="new-token" data-testid="admin-reset-link" role="status">
            <p className="new-token__warning">
              <strong>Copy this link for {resetLink.user.name} now.</strong> It is not shown again. It sets a new password once, until{' '}
              {formatFullTime(resetLink.expiresAt)}.{' '}
              {resetLink.emailed ? `It was also emailed to ${resetLink.user.email}.` : 'This server sends no email: pass it on yourself.'}
            </p>
            <div className="new-token__row" data-copy-scope>
              <code className="new-token__value" data-testid="admin-reset-url">
                {resetLink.url}
              </code>
              <CopyButton text={resetLink.url} testId="admin-reset-copy" label="Copy" />
            </div>
            <button type="button" className="button button--quiet" onClick={() => setResetLink(null)}>
              I have copied it
            </button>
          </div>
        )}
        {users === null ? (
          <p className="settings__text">Loading…</p>
        ) : (
          <ul className="share-list" data-testid="admin-users">
            {users.map(user => (
              <li key={user.id} className={`share-row admin-user${user.disabledAt ? ' admin-user--disabled' : ''}`} data-testid="admin-user" data-email={user.email}>
                <span className="share-row__who">
                  <span className="share-row__name">
                    <span className="app-header__swatch" style={{ backgroundColor: user.color }} aria-hidden="true" /> {user.name}
                    {user.id === selfId && ' (you)'}
                    {user.isAdmin && <span className="role-badge role-badge--owner admin-user__badge">admin</span>}
                    {user.disabledAt && (
                      <span className="role-badge admin-user__badge" data-testid="admin-user-disabled">
                        disabled
                      </span>
                    )}
                  </span>
                  <span className="share-row__email">
                    {user.email} · joined <When at={user.createdAt} now={now} /> · {user.lastSignedInAt ? <>last signed in <When at={user.lastSignedInAt} now={now} /></> : 'never signed in'}
                  </span>
                </span>
                <span className="share-row__actions admin-user__actions">
                  <button
                    type="button"
                    className="button button--quiet"
                    data-testid="admin-toggle-admin"
                    aria-label={`${user.isAdmin ? 'Remove admin' : 'Make admin'}: ${user.name}`}
                    disabled={busy}
                    onClick={() => void act(`Could not change ${user.name}`, () => changeUser(user.id, { isAdmin: !user.isAdmin }))}
                  >
                    {user.isAdmin ? 'Remove admin' : 'Make admin'}
                  </button>
                  <button type="button" className="button button--quiet" data-testid="admin-reset" aria-label={`Reset link for ${user.name}`} disabled={busy} onClick={() => void reset(user)}>
                    Reset link
                  </button>
                  {user.disabledAt ? (
                    <button
                      type="button"
                      className="button button--quiet"
                      data-testid="admin-enable"
                      aria-label={`Enable ${user.name}`}
                      disabled={busy}
                      onClick={() => void act(`Could not enable ${user.name}`, () => changeUser(user.id, { disabled: false }))}
                    >
                      Enable
                    </button>
                  ) : (
                    user.id !== selfId && (
                      <button type="button" className="button button--quiet button--danger" data-testid="admin-disable" aria-label={`Disable ${user.name}`} disabled={busy} onClick={() => setPendingDisable(user)}>
                        Disable
                      </button>
                    )
                  )}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {pendingDisable && (
        <ConfirmDialog
          title={`Disable ${pendingDisable.name}?`}
          confirmLabel={busy ? 'Disabling…' : 'Disable'}
          busy={busy}
          onConfirm={() => void disable()}
          onCancel={() => setPendingDisable(null)}
        >
          {pendingDisable.name} is signed out everywhere at once, their open documents close, and their API tokens stop working until you enable the
          account again. Their documents stay as they are.
        </ConfirmDialog>
      )}
    </>
  )
}
