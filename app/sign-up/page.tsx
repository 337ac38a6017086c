import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { AuthForm } from '../AuthForm'
import { safeNext } from '../safeNext'
import { currentUser } from '../session'
import { signInContext } from '../signInContext'
import { services } from '../../server/services'

/** Said above the form, so nobody fills it in only to be refused. */
const MODE_NOTICES = {
  invitation: 'Sign-up on this server is by invitation only: open the invitation link a document owner sent you, and create your account from there.',
  closed: 'This server is not accepting new accounts. Ask its admin if you need one.',
}

export const metadata: Metadata = { title: 'Create an account · Inkwell' }

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNext((await searchParams).next)
  if (await currentUser()) redirect(next)
  // Coming from an invitation link, its token goes with the sign-up: with sign-up by invitation only, it is the ticket in.
  const invitationToken = /^\/invite\/([A-Za-z0-9_-]+)$/.exec(next)?.[1]
  const s = services()
  const [mode, accounts] = await Promise.all([s.signup.mode(), s.accounts.userCount()])
  // The very first account (the admin's) may always be made, and an invitation is its own ticket.
  const notice = mode === 'open' || accounts === 0 || (mode === 'invitation' && invitationToken) ? null : MODE_NOTICES[mode]
  return (
    <>
      {notice && (
        <div className="banner banner--info signup-mode" role="status" data-testid="signup-mode">
          {notice}
        </div>
      )}
      <AuthForm mode="sign-up" next={next} invitationToken={invitationToken} context={await signInContext(next)} />
    </>
  )
}
