import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { AuthForm } from '../AuthForm'
import { safeNext } from '../safeNext'
import { currentUser } from '../session'
import { signInContext } from '../signInContext'

export const metadata: Metadata = { title: 'Sign in · Inkwell' }

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNext((await searchParams).next)
  if (await currentUser()) redirect(next)
  const context = await signInContext(next)
  // Nobody can sign in to an instance without accounts: its first visitor is offered the admin account.
  if (context.firstAccount) redirect(next === '/' ? '/sign-up' : `/sign-up?next=${encodeURIComponent(next)}`)
  return <AuthForm mode="sign-in" next={next} context={context} />
}
