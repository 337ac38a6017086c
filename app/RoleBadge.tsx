import type { Role } from './documentsApi'

export const ROLE_LABELS: Record<Role, string> = { owner: 'Owner', editor: 'Editor', viewer: 'Viewer' }

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'Can edit, share and delete',
  editor: 'Can edit',
  viewer: 'Can read, not edit',
}

export function RoleBadge({ role, testId }: { role: Role; testId?: string }) {
  return (
    <span className={`role-badge role-badge--${role}`} data-testid={testId} data-role={role} title={ROLE_DESCRIPTIONS[role]}>
      {ROLE_LABELS[role]}
    </span>
  )
}
