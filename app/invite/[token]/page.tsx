import type { Metadata } from 'next'
import Link from 'next/link'
import { services } from '../../../server/services'
import { AppHeader } from '../../AppHeader'
import { ROLE_LABELS } from '../../RoleBadge'
import { currentUser } from '../../session'
import { AcceptInvitation } from './AcceptInvitation'

export const metadata: Metadata = { title: 'Invitation · Inkwell' }

const UNUSABLE = {
  used: 'This invitation link was already used. Ask the owner for a new one.',
  expired: 'This invitation link has expired. Ask the owner for a new one.',
  unknown: 'This invitation link does not exist. Check that it was copied completely, or ask the owner for a new one.',
}

/** An invitation's one-time link. Accepting needs an account (any email: holding the link is the proof). */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params
  const user = await currentUser()
  const invitation = await services().sharing.describeInvitation(token)
  const here = `/invite/${encodeURIComponent(token)}`
  const state = invitation?.state ?? 'unknown'

  const body =
    state !== 'pending' || !invitation ? (
      <>
        <h1>Could not use this invitation</h1>
        <p className="join__error" role="alert" data-testid="invite-error">
          {UNUSABLE[state === 'pending' ? 'unknown' : state]}
        </p>
      </>
    ) : (
      <>
        <h1>You are invited to “{invitation.documentTitle}”</h1>
        <p>
          As {ROLE_LABELS[invitation.role].toLowerCase()}. The link works once: accepting it gives the role to the account you
          are signed in with.
        </p>
        {user ? (
          <AcceptInvitation token={token} accountEmail={user.email} />
        ) : (
          <div className="join__actions">
            <Link href={`/sign-in?next=${encodeURIComponent(here)}`} className="button" data-testid="invite-sign-in">
              Sign in
            </Link>
            <Link href={`/sign-up?next=${encodeURIComponent(here)}`} className="button button--primary" data-testid="invite-sign-up">
              Create an account
            </Link>
          </div>
        )}
      </>
    )

  return (
    <div className="app-shell">
      {user && <AppHeader user={user} />}
      <main className="home">
        <div className="doc-page__message">{body}</div>
      </main>
    </div>
  )
}
