import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { AuthForm } from '../AuthForm'
import { safeNext } from '../safeNext'
import { currentUser } from '../session'
import { signInContext } from '../signInContext'

export const metadata: Metadata = { title: 'Create an account · Inkwell' }

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNext((await searchParams).next)
  if (await currentUser()) redirect(next)
  // Coming from an invitation link, its token goes with the sign-up: with sign-up by invitation only, it is the ticket in.
  const invitationToken = /^\/invite\/([A-Za-z0-9_-]+)$/.exec(next)?.[1]
  return <AuthForm mode="sign-up" next={next} invitationToken={invitationToken} context={await signInContext(next)} />
}
