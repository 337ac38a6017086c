import type { DocumentRole } from './types'

/** The stateless messages the Inkwell server sends over the collaboration socket. */
export type ServerMessage =
  | { type: 'title'; title: string }
  | { type: 'role'; role: DocumentRole }
  | { type: 'access-revoked' }

const ROLES: readonly string[] = ['owner', 'editor', 'viewer'] satisfies DocumentRole[]

export function parseServerMessage(payload: string): ServerMessage | null {
  let message: unknown
  try {
    message = JSON.parse(payload)
  } catch {
    // Other stateless messages are not ours to interpret.
    return null
  }
  if (typeof message !== 'object' || message === null) return null
  const { type, title, role } = message as { type?: unknown; title?: unknown; role?: unknown }
  if (type === 'title' && typeof title === 'string') return { type, title }
  if (type === 'role' && typeof role === 'string' && ROLES.includes(role)) return { type, role: role as DocumentRole }
  if (type === 'access-revoked') return { type }
  return null
}
