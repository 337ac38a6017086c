'use client'

import { useCallback, useEffect, useState } from 'react'
import { apiRequest } from '../apiRequest'
import { formatFullTime, formatRelativeTime } from '../relativeTime'
import { useFailure } from '../useFailure'

interface SessionInfo {
  id: string
  device: string
  userAgent: string | null
  address: string | null
  createdAt: string
  lastActiveAt: string
  current: boolean
}

function When({ at, now }: { at: string; now: number }) {
  return (
    <time dateTime={at} title={formatFullTime(at)}>
      {formatRelativeTime(at, now)}
    </time>
  )
}

/** Where you are signed in, and signing out of one place or all the others. */
export function Sessions() {
  const [sessions, setSessions] = useState<SessionInfo[] | null>(null)
  const [busy, setBusy] = useState(false)
  const [now, setNow] = useState(() => Date.now())

  const { error, setError, fail } = useFailure('/settings')

  const load = useCallback(async () => {
    try {
      setSessions((await apiRequest<{ sessions: SessionInfo[] }>('/api/me/sessions')).sessions)
      setNow(Date.now())
    } catch (e) {
      fail('Could not load your sessions', e)
    }
  }, [fail])

  useEffect(() => void load(), [load])

  const run = async (what: string, path: string) => {
    setBusy(true)
    setError(null)
    try {
      await apiRequest(path, { method: 'DELETE' })
      await load()
    } catch (e) {
      fail(what, e)
    } finally {
      setBusy(false)
    }
  }

  const others = (sessions ?? []).filter(session => !session.current)

  return (
    <section className="settings__card" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" className="settings__title">
        Where you are signed in
      </h2>
      {error && (
        <div className="banner banner--error" role="alert" data-testid="sessions-error">
          <span>{error}</span>
        </div>
      )}
      {sessions === null ? (
        <p className="settings__text">Loading…</p>
      ) : (
        <ul className="share-list" data-testid="session-list">
          {sessions.map(session => (
            <li key={session.id} className="share-row session-row" data-testid="session-row" data-current={session.current || undefined}>
              <span className="share-row__who">
                <span className="share-row__name" title={session.userAgent ?? undefined}>
                  {session.device}
                  {session.current && <span className="session-row__this"> · this device</span>}
                </span>
                <span className="share-row__email">
                  {session.address ?? 'unknown address'} · signed in <When at={session.createdAt} now={now} /> · last active{' '}
                  <When at={session.lastActiveAt} now={now} />
                </span>
              </span>
              {!session.current && (
                <span className="share-row__actions">
                  <button
                    type="button"
                    className="button button--quiet button--danger"
                    data-testid="session-revoke"
                    aria-label={`Sign out ${session.device}, ${session.address ?? 'unknown address'}`}
                    disabled={busy}
                    onClick={() => void run('Could not sign that session out', `/api/me/sessions/${encodeURIComponent(session.id)}`)}
                  >
                    Sign out
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="share-form__row sessions__actions">
        <button
          type="button"
          className="button"
          data-testid="sessions-revoke-others"
          disabled={busy || others.length === 0}
          onClick={() => void run('Could not sign out your other sessions', '/api/me/sessions')}
        >
          Sign out of other sessions
        </button>
      </div>
    </section>
  )
}
