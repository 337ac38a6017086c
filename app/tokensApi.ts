/** Browser-side client for personal API tokens. */

import { apiRequest } from './apiRequest'

export interface ApiToken {
  id: string
  name: string
  /** The first characters of the token, enough to recognise it. */
  prefix: string
  createdAt: string
  lastUsedAt: string | null
}

export async function listTokens(): Promise<ApiToken[]> {
  const { tokens } = await apiRequest<{ tokens: ApiToken[] }>('/api/tokens')
  return tokens
}

/** The full token is in this answer only; the server keeps just a hash. */
export function createToken(name: string): Promise<ApiToken & { token: string }> {
  return apiRequest('/api/tokens', { method: 'POST', body: JSON.stringify({ name }) })
}

export function revokeToken(id: string): Promise<void> {
  return apiRequest(`/api/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' })
}
