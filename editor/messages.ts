import type { DocumentRole } from './types'

/** The stateless messages the Inkwell server sends over the collaboration socket. */
export type ServerMessage =
  | { type: 'title'; title: string }
  | { type: 'role'; role: DocumentRole }
  | { type: 'access-revoked' }
  /** Another user wrote under this client id first; the socket is closed after this. */
  | { type: 'client-id-taken'; clientId: number }

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
  const { type, title, role, clientId } = message as { type?: unknown; title?: unknown; role?: unknown; clientId?: unknown }
  if (type === 'title' && typeof title === 'string') return { type, title }
  if (type === 'role' && typeof role === 'string' && ROLES.includes(role)) return { type, role: role as DocumentRole }
  if (type === 'access-revoked') return { type }
  if (type === 'client-id-taken' && Number.isSafeInteger(clientId)) return { type, clientId: clientId as number }
  return null
}
