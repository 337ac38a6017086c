import { headers } from 'next/headers'
import { redirect } from 'next/navigation'
import type { SessionUser } from '../server/accounts/accounts'
import { services } from '../server/services'

export type { SessionUser } from '../server/accounts/accounts'

/** For server components only: reads the session cookie of the request being rendered. */
export async function currentUser(): Promise<SessionUser | null> {
  // headers() first: it is what marks the page as per-request, so `next build` never prerenders it
  // (at build time there is no running server to ask).
  const requestHeaders = await headers()
  return services().sessionUser(requestHeaders)
}

/** Gates a page: a visitor without a session goes to sign in, and comes back to `path` afterwards. */
export async function requireUser(path: string): Promise<SessionUser> {
  const user = await currentUser()
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(path)}`)
  return user
}
