import { createAuthClient } from 'better-auth/react'

let client: ReturnType<typeof createAuthClient> | undefined

/** Better Auth on this same origin (/api/auth); created on first use, in the browser. */
export function authClient(): ReturnType<typeof createAuthClient> {
  client ??= createAuthClient()
  return client
}
