'use client'

import { AuthCard } from './AuthCard'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useId, useState, type FormEvent } from 'react'
import { authClient } from './authClient'
import { authErrorMessage, looksLikeEmail } from './authMessages'
import type { SignInContext } from './signInContext'

export const MIN_PASSWORD_LENGTH = 8

type Mode = 'sign-in' | 'sign-up'

const COPY: Record<Mode, { heading: string; submit: string; busy: string; switchPrompt: string; switchLabel: string }> = {
  'sign-in': {
    heading: 'Sign in to Inkwell',
    submit: 'Sign in',
    busy: 'Signing in…',
    switchPrompt: 'New to Inkwell?',
    switchLabel: 'Create an account',
  },
  'sign-up': {
    heading: 'Create your Inkwell account',
    submit: 'Create account',
    busy: 'Creating account…',
    switchPrompt: 'Already have an account?',
    switchLabel: 'Sign in',
  },
}

/** The heading and the sentence under it: a new instance, or the document a link leads to, come first. */
function introFor(mode: Mode, context: SignInContext | undefined): { heading: string; lead?: string } {
  if (context?.firstAccount) {
    return {
      heading: 'Welcome to your new Inkwell',
      lead: 'No one has an account on this instance yet. Create the first one: it becomes the admin, who manages people and settings.',
    }
  }
  if (context?.documentTitle) {
    return {
      heading: `${mode === 'sign-in' ? 'Sign in or create an account' : 'Create an account'} to open “${context.documentTitle}”`,
      lead: 'You will go straight to the document afterwards.',
    }
  }
  if (context?.toDocument) return { heading: COPY[mode].heading, lead: 'Sign in to open this document. You will go straight to it afterwards.' }
  return { heading: COPY[mode].heading }
}

/** After sign-up, signing in failed: the email may already have an account (sign-up never says so). */
const SIGNED_UP_BUT_NOT_IN =
  'Could not sign you in with this email and password. If you already have an account with this email, sign in with its password instead.'

/**
 * `next` is already checked to be a path on this site. `invitationToken` (from an invitation link)
 * is sent with a sign-up: where sign-up is by invitation only, it is what lets the account be made.
 */
export function AuthForm({ mode, next, invitationToken, context }: { mode: Mode; next: string; invitationToken?: string; context?: SignInContext }) {
  const router = useRouter()
  const copy = COPY[mode]
  const intro = introFor(mode, context)
  const ids = { name: useId(), email: useId(), password: useId(), hint: useId() }
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const other: Mode = mode === 'sign-in' ? 'sign-up' : 'sign-in'
  const otherHref = next === '/' ? `/${other}` : `/${other}?next=${encodeURIComponent(next)}`

  // Checked here rather than by the browser, so the reason shows in the same place as the server's.
  const problem = (): string | null => {
    if (mode === 'sign-up' && !name.trim()) return 'Enter your name. Others see it next to your cursor.'
    if (!email.trim()) return 'Enter your email address.'
    if (!looksLikeEmail(email)) return 'Enter an email address such as name@example.com.'
    if (!password) return 'Enter your password.'
    if (mode === 'sign-up' && password.length < MIN_PASSWORD_LENGTH) {
      return `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`
    }
    return null
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    const invalid = problem()
    if (invalid) {
      setError(invalid)
      return
    }
    setBusy(true)
    setError(null)
    try {
      const client = authClient()
      if (mode === 'sign-up') {
        // Sign-up answers the same whether or not the email has an account (nobody can probe
        // addresses), and gives no session: signing in comes next.
        const created = await client.signUp.email({ email: email.trim(), password, name: name.trim(), ...(invitationToken ? { invitationToken } : {}) })
        if (created.error) {
          setError(authErrorMessage(created.error))
          setBusy(false)
          return
        }
      }
      const result = await client.signIn.email({ email: email.trim(), password })
      if (result.error) {
        setError(mode === 'sign-up' && result.error.status === 401 ? SIGNED_UP_BUT_NOT_IN : authErrorMessage(result.error))
        setBusy(false)
        return
      }
    } catch {
      setError('Could not reach the server. Check your connection and try again.')
      setBusy(false)
      return
    }
    // Stays busy while navigating; refresh makes server components read the new session cookie.
    router.replace(next)
    router.refresh()
  }

  return (
    <AuthCard>
      <h1 className="auth__heading" data-testid="auth-heading">
        {intro.heading}
      </h1>
      {intro.lead && (
        <p className="auth__lead" data-testid="auth-lead">
          {intro.lead}
        </p>
      )}
      <form className="auth__form" onSubmit={submit} noValidate>
        {mode === 'sign-up' && (
          <div className="field">
            <label className="field__label" htmlFor={ids.name}>
              Name
            </label>
            <input
              id={ids.name}
              className="input"
              data-testid="name-input"
              value={name}
              onChange={e => setName(e.target.value)}
              autoComplete="name"
              maxLength={80}
              placeholder="e.g. Ada Lovelace"
              autoFocus
            />
          </div>
        )}
        <div className="field">
          <label className="field__label" htmlFor={ids.email}>
            Email
          </label>
          <input
            id={ids.email}
            className="input"
            data-testid="email-input"
            type="email"
            value={email}
            onChange={e => setEmail(e.target.value)}
            autoComplete="email"
            autoFocus={mode === 'sign-in'}
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.password}>
            Password
          </label>
          <input
            id={ids.password}
            className="input"
            data-testid="password-input"
            type="password"
            value={password}
            onChange={e => setPassword(e.target.value)}
            autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
            aria-describedby={mode === 'sign-up' ? ids.hint : undefined}
          />
          {mode === 'sign-up' && (
            <p className="field__hint" id={ids.hint}>
              At least {MIN_PASSWORD_LENGTH} characters.
            </p>
          )}
        </div>
        {error && (
          <div className="banner banner--error auth__error" role="alert" data-testid="auth-error">
            {error}
          </div>
        )}
        <button type="submit" className="button button--primary auth__submit" data-testid="auth-submit" disabled={busy}>
          {busy ? copy.busy : copy.submit}
        </button>
      </form>
      {mode === 'sign-in' && (
        <p className="auth__switch">
          <Link href="/forgot-password" data-testid="forgot-password-link">
            Forgot your password?
          </Link>
        </p>
      )}
      {!context?.firstAccount && (
        <p className="auth__switch">
          {copy.switchPrompt}{' '}
          <Link href={otherHref} data-testid={`${other}-link`}>
            {copy.switchLabel}
          </Link>
        </p>
      )}
    </AuthCard>
  )
}
