'use client'

import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError, messageOf, signInPath } from '../../apiRequest'
import { joinByLink } from '../../sharingApi'

const NOT_FOUND = 'This link does not work any more: it was revoked, or it was copied incompletely. Ask the owner for a new one.'

export function JoinDocument({ token }: { token: string }) {
  const router = useRouter()
  const [error, setError] = useState<string | null>(null)
  const started = useRef(false)

  const join = useCallback(async () => {
    setError(null)
    try {
      const { url } = await joinByLink(token)
      router.replace(url)
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) router.replace(signInPath(`/join/${encodeURIComponent(token)}`))
      else setError(e instanceof ApiError && e.status === 404 ? NOT_FOUND : `Could not join: ${messageOf(e)}`)
    }
  }, [router, token])

  useEffect(() => {
    // Once per visit: strict mode runs effects twice, and joining is not a read.
    if (started.current) return
    started.current = true
    void join()
  }, [join])

  if (!error) {
    return (
      <p className="doc-page__message" aria-busy="true">
        Opening the shared document…
      </p>
    )
  }
  return (
    <div className="doc-page__message">
      <h1>Could not open this link</h1>
      <p className="join__error" role="alert" data-testid="join-error">
        {error}
      </p>
      <div className="join__actions">
        <button type="button" className="button" onClick={() => void join()}>
          Try again
        </button>
        <Link href="/" className="button button--primary">
          Go to your documents
        </Link>
      </div>
    </div>
  )
}
