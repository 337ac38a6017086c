'use client'

import { useRouter } from 'next/navigation'
import { useCallback, useState } from 'react'
import { ApiError, messageOf, signInPath } from './apiRequest'

/**
 * The error line of a page that calls the API: "<what failed>: <the server's reason>". A 401 means
 * the session ended (signed out in another tab, expired): sign in again and come back to `here`.
 */
export function useFailure(here: string) {
  const router = useRouter()
  const [error, setError] = useState<string | null>(null)
  const fail = useCallback(
    (what: string, e: unknown) => {
      if (e instanceof ApiError && e.status === 401) router.replace(signInPath(here))
      else setError(`${what}: ${messageOf(e)}`)
    },
    [router, here],
  )
  return { error, setError, fail }
}
