import type { Metadata } from 'next'
import { redirect } from 'next/navigation'
import { AuthForm } from '../AuthForm'
import { safeNext } from '../safeNext'
import { currentUser } from '../session'

export const metadata: Metadata = { title: 'Sign in · Inkwell' }

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const next = safeNext((await searchParams).next)
  if (await currentUser()) redirect(next)
  return <AuthForm mode="sign-in" next={next} />
}
