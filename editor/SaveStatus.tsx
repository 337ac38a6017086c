import type { SaveStatus } from './types'

const LABELS: Record<SaveStatus, string> = {
  connecting: 'Connecting...',
  saving: 'Saving...',
  saved: 'Saved',
  offline: 'Offline',
  error: 'Error',
}

const DESCRIPTIONS: Record<SaveStatus, string> = {
  connecting: 'Connecting to the server',
  saving: 'Your latest changes are not yet confirmed by the server',
  saved: 'All changes are saved',
  offline: 'Not connected. Your edits are kept in this tab and will sync when the connection returns',
  error: 'This document could not be opened',
}

export function SaveStatusPill({ status }: { status: SaveStatus }) {
  return (
    <span
      className={`inkwell-status inkwell-status--${status}`}
      data-testid="save-status"
      data-status={status}
      role="status"
      aria-live="polite"
      title={DESCRIPTIONS[status]}
    >
      {LABELS[status]}
    </span>
  )
}
