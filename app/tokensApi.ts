/** Browser-side client for personal API tokens. */

import { apiRequest } from './apiRequest'

/** "read": GET requests only; "read-write": everything you may do. */
export type TokenScope = 'read' | 'read-write'

export interface ApiToken {
  id: string
  name: string
  /** The first characters of the token, enough to recognise it. */
  prefix: string
  scope: TokenScope
  createdAt: string
  lastUsedAt: string | null
  /** Null: never expires. */
  expiresAt: string | null
}

export async function listTokens(): Promise<ApiToken[]> {
  const { tokens } = await apiRequest<{ tokens: ApiToken[] }>('/api/tokens')
  return tokens
}

/** The full token is in this answer only; the server keeps just a hash. `expiresInDays` null: never expires. */
export function createToken(name: string, scope: TokenScope, expiresInDays: number | null): Promise<ApiToken & { token: string }> {
  return apiRequest('/api/tokens', { method: 'POST', body: JSON.stringify({ name, scope, expiresInDays }) })
}

export function revokeToken(id: string): Promise<void> {
  return apiRequest(`/api/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' })
}
