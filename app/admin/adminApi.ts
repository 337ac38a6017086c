import { apiRequest } from '../apiRequest'

export type SignupMode = 'open' | 'invitation' | 'closed'

export interface AdminUser {
  id: string
  name: string
  email: string
  color: string
  isAdmin: boolean
  createdAt: string
  lastSignedInAt: string | null
  disabledAt: string | null
}

export interface InstanceSettings {
  signup: SignupMode
  emailConfigured: boolean
}

export const listUsers = async () => (await apiRequest<{ users: AdminUser[] }>('/api/admin/users')).users

export const changeUser = (id: string, change: { disabled?: boolean; isAdmin?: boolean }) =>
  apiRequest<AdminUser>(`/api/admin/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: JSON.stringify(change) })

export const issueResetLink = (id: string) =>
  apiRequest<{ url: string; expiresAt: string; emailed: boolean }>(`/api/admin/users/${encodeURIComponent(id)}/password-reset`, { method: 'POST' })

export const getSettings = () => apiRequest<InstanceSettings>('/api/admin/settings')

export const setSignupMode = (signup: SignupMode) => apiRequest<InstanceSettings>('/api/admin/settings', { method: 'PATCH', body: JSON.stringify({ signup }) })
