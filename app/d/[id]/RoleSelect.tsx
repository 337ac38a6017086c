'use client'

import type { Role } from '../../documentsApi'
import { ROLE_LABELS } from '../../RoleBadge'

interface RoleSelectProps<R extends Role> {
  value: R
  onChange: (role: R) => void
  /** Defaults to every role. */
  roles?: readonly R[]
  testId: string
  label: string
  disabled?: boolean
  title?: string
}

const ALL_ROLES = ['viewer', 'editor', 'owner'] as const

export function RoleSelect<R extends Role>({ value, onChange, roles, testId, label, disabled, title }: RoleSelectProps<R>) {
  const options = roles ?? (ALL_ROLES as readonly Role[] as readonly R[])
  return (
    <select
      className="input select"
      data-testid={testId}
      aria-label={label}
      value={value}
      disabled={disabled}
      title={title}
      onChange={e => onChange(e.target.value as R)}
    >
      {options.map(role => (
        <option key={role} value={role}>
          {ROLE_LABELS[role]}
        </option>
      ))}
    </select>
  )
}
