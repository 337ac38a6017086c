'use client'

import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { authClient } from './authClient'

export function SignOutButton() {
  const router = useRouter()
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle')

  const signOut = async () => {
    setState('busy')
    try {
      const { error } = await authClient().signOut()
      if (error) throw new Error(error.message)
    } catch {
      // Still signed in: going to /sign-in would only bounce back here.
      setState('failed')
      return
    }
    router.replace('/sign-in')
    router.refresh()
  }

  return (
    <button
      type="button"
      className="button button--quiet"
      data-testid="sign-out"
      onClick={signOut}
      disabled={state === 'busy'}
      title={state === 'failed' ? 'Could not sign out. Check your connection and try again.' : undefined}
    >
      {state === 'busy' ? 'Signing out…' : state === 'failed' ? 'Sign out (retry)' : 'Sign out'}
    </button>
  )
}
