import type { SaveStatus } from './types'

const LABELS: Record<SaveStatus, (unsaved: number) => string> = {
  connecting: () => 'Connecting...',
  saving: () => 'Saving...',
  saved: () => 'Saved',
  reconnecting: unsaved => `Reconnecting (${unsaved} unsaved)`,
  offline: unsaved => `Offline (${unsaved} unsaved)`,
  error: () => 'Error',
}

const DESCRIPTIONS: Record<SaveStatus, string> = {
  connecting: 'Connecting to the server',
  saving: 'Your latest changes are not yet confirmed by the server',
  saved: 'All changes are saved',
  reconnecting: 'The connection dropped and is being retried. Your edits are kept and will be saved when it returns',
  offline: 'This device is offline. Your edits are kept and will be saved when the connection returns',
  error: 'This document could not be opened',
}

export function SaveStatusPill({ status, unsaved }: { status: SaveStatus; unsaved: number }) {
  return (
    <span
      className={`inkwell-status inkwell-status--${status}`}
      data-testid="save-status"
      data-status={status}
      data-unsaved={unsaved}
      role="status"
      aria-live="polite"
      title={DESCRIPTIONS[status]}
    >
      {LABELS[status](unsaved)}
    </span>
  )
}
