'use client'

import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { messageOf } from '../../apiRequest'
import { acceptInvitation } from '../../sharingApi'

/** Accepting is a deliberate click, never a page load: the link is used up by it. */
export function AcceptInvitation({ token, accountEmail }: { token: string; accountEmail: string }) {
  const router = useRouter()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const accept = async () => {
    setBusy(true)
    setError(null)
    try {
      const { url } = await acceptInvitation(token)
      router.replace(url)
    } catch (e) {
      setError(messageOf(e))
      setBusy(false)
    }
  }

  return (
    <>
      <p>Signed in as {accountEmail}.</p>
      {error && (
        <p className="join__error" role="alert" data-testid="invite-error">
          {error}
        </p>
      )}
      <div className="join__actions">
        <button type="button" className="button button--primary" data-testid="invite-accept" disabled={busy} onClick={() => void accept()}>
          {busy ? 'Accepting…' : 'Accept'}
        </button>
      </div>
    </>
  )
}
