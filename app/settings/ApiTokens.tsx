'use client'

import { useCallback, useEffect, useId, useState, type FormEvent } from 'react'
import { ConfirmDialog } from '../ConfirmDialog'
import { formatFullTime, formatRelativeTime } from '../relativeTime'
import { createToken, listTokens, revokeToken, type ApiToken, type TokenScope } from '../tokensApi'
import { NewToken } from './NewToken'
import { useFailure } from '../useFailure'
import { ErrorBanner } from '../ErrorBanner'

/** Expiry choices at creation, in days; null never expires. */
const EXPIRY_CHOICES: { label: string; days: number | null }[] = [
  { label: '7 days', days: 7 },
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
  { label: '1 year', days: 365 },
  { label: 'Never', days: null },
]

const SCOPE_LABELS: Record<TokenScope, string> = { read: 'Read only', 'read-write': 'Read and write' }

function expiryText(token: ApiToken, now: number) {
  if (!token.expiresAt) return 'never expires'
  const when = (
    <time dateTime={token.expiresAt} title={formatFullTime(token.expiresAt)}>
      {formatRelativeTime(token.expiresAt, now)}
    </time>
  )
  return Date.parse(token.expiresAt) <= now ? <>expired {when}</> : <>expires {when}</>
}

export function ApiTokens() {
  const nameId = useId()
  const scopeId = useId()
  const expiryId = useId()
  const [tokens, setTokens] = useState<ApiToken[] | null>(null)
  const [name, setName] = useState('')
  const [scope, setScope] = useState<TokenScope>('read-write')
  // An index into EXPIRY_CHOICES; 90 days unless chosen otherwise, so forgotten tokens end by themselves.
  const [expiry, setExpiry] = useState(2)
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const [pendingRevoke, setPendingRevoke] = useState<ApiToken | null>(null)
  const [now, setNow] = useState(() => Date.now())
  const [origin, setOrigin] = useState('')

  const { error, setError, fail } = useFailure('/settings')

  const load = useCallback(async () => {
    try {
      setTokens(await listTokens())
      setNow(Date.now())
    } catch (e) {
      fail('Could not load your tokens', e)
    }
  }, [fail])

  useEffect(() => {
    setOrigin(window.location.origin)
    void load()
  }, [load])

  const create = async (event: FormEvent) => {
    event.preventDefault()
    const tokenName = name.trim()
    if (!tokenName || busy) return
    setBusy(true)
    setError(null)
    try {
      const answer = await createToken(tokenName, scope, EXPIRY_CHOICES[expiry].days)
      setCreated({ name: answer.name, token: answer.token })
      setName('')
      await load()
    } catch (e) {
      fail('Could not create the token', e)
    } finally {
      setBusy(false)
    }
  }

  const revoke = async () => {
    if (!pendingRevoke) return
    setBusy(true)
    try {
      await revokeToken(pendingRevoke.id)
      setTokens(list => (list ?? []).filter(t => t.id !== pendingRevoke.id))
      setError(null)
    } catch (e) {
      fail('Could not revoke the token', e)
    } finally {
      setBusy(false)
      setPendingRevoke(null)
    }
  }

  return (
    <section className="settings__card" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading" className="settings__title">
        API tokens
      </h2>
      <p className="settings__text">
        A token lets scripts use the JSON API as you, with your access to documents. A read-only token may only make
        GET requests (and joins documents as a viewer). Revoke a token you no longer use.
      </p>
      {/* Focusable and named: a long address scrolls sideways, and keyboard users must be able to scroll it too. */}
      <pre className="settings__example" data-testid="curl-example" tabIndex={0} role="region" aria-label="Example: list your documents with curl">
        curl -H &quot;Authorization: Bearer &lt;token&gt;&quot; {origin}/api/documents
      </pre>

      <ErrorBanner message={error} testId="token-error" onDismiss={() => setError(null)} />

      {created && <NewToken name={created.name} token={created.token} onDismiss={() => setCreated(null)} />}

      <form className="share-form" onSubmit={create}>
        <label className="field__label" htmlFor={nameId}>
          New token
        </label>
        <div className="share-form__row">
          <input
            id={nameId}
            className="input share-form__email"
            data-testid="token-name"
            placeholder="What is it for? e.g. Backup script"
            maxLength={100}
            value={name}
            onChange={e => setName(e.target.value)}
          />
          <button type="submit" className="button button--primary" data-testid="token-create" disabled={busy || !name.trim()}>
            Create token
          </button>
        </div>
        <div className="share-form__row">
          <label className="field__label" htmlFor={scopeId}>
            Access
          </label>
          <select
            id={scopeId}
            className="input select"
            data-testid="token-scope"
            value={scope}
            onChange={e => setScope(e.target.value as TokenScope)}
          >
            <option value="read-write">{SCOPE_LABELS['read-write']}</option>
            <option value="read">{SCOPE_LABELS.read}</option>
          </select>
          <label className="field__label" htmlFor={expiryId}>
            Expires after
          </label>
          <select
            id={expiryId}
            className="input select"
            data-testid="token-expiry"
            value={expiry}
            onChange={e => setExpiry(Number(e.target.value))}
          >
            {EXPIRY_CHOICES.map((choice, index) => (
              <option key={choice.label} value={index}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
      </form>

      {tokens === null ? (
        <p className="documents__loading" aria-busy="true">
          Loading tokens…
        </p>
      ) : tokens.length === 0 ? (
        <p className="documents__none" data-testid="tokens-empty">
          No tokens yet.
        </p>
      ) : (
        <ul className="share-list" data-testid="token-list">
          {tokens.map(token => (
            <li key={token.id} className="share-row" data-testid="token-row" data-token-id={token.id}>
              <span className="share-row__who">
                <span className="share-row__name" data-testid="token-row-name">
                  {token.name}
                </span>
                <span className="share-row__email">
                  <code>{token.prefix}…</code> · <span data-testid="token-row-scope">{SCOPE_LABELS[token.scope]}</span> ·{' '}
                  <span data-testid="token-row-expiry">{expiryText(token, now)}</span> · created{' '}
                  <time dateTime={token.createdAt} title={formatFullTime(token.createdAt)}>
                    {formatRelativeTime(token.createdAt, now)}
                  </time>{' '}
                  ·{' '}
                  {token.lastUsedAt ? (
                    <>
                      last used{' '}
                      <time dateTime={token.lastUsedAt} title={formatFullTime(token.lastUsedAt)}>
                        {formatRelativeTime(token.lastUsedAt, now)}
                      </time>
                    </>
                  ) : (
                    'never used'
                  )}
                </span>
              </span>
              <span className="share-row__actions">
                <button
                  type="button"
                  className="button button--quiet button--danger"
                  data-testid="token-revoke"
                  aria-label={`Revoke ${token.name}`}
                  disabled={busy}
                  onClick={() => setPendingRevoke(token)}
                >
                  Revoke
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}

      {pendingRevoke && (
        <ConfirmDialog
          title="Revoke token?"
          confirmLabel={busy ? 'Revoking…' : 'Revoke'}
          busy={busy}
          onConfirm={revoke}
          onCancel={() => setPendingRevoke(null)}
        >
          Scripts using “{pendingRevoke.name}” stop working at once. This cannot be undone.
        </ConfirmDialog>
      )}
    </section>
  )
}
