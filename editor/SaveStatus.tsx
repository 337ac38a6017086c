import type { ReactNode } from 'react'
import type { SaveStatus } from './types'

/**
 * The detail is dropped on narrow screens (CSS), where the pill must fit beside the title. One
 * element, since the pill is a flex box and would lay two children out as separate items.
 */
const keptHere = (headline: string) => (
  <span>
    {headline}
    <span className="inkwell-status__detail">: your changes are kept in this browser</span>
  </span>
)

/**
 * What the writer's changes are doing, in words. While disconnected the pill says where the changes
 * are, never how many: the count is of Yjs updates, which mean nothing to a person (it stays in
 * data-unsaved, for tests and hosts).
 */
function label(status: SaveStatus, unsaved: number): ReactNode {
  switch (status) {
    case 'connecting':
      return 'Connecting...'
    case 'saving':
      return 'Saving...'
    case 'saved':
      return 'Saved'
    case 'reconnecting':
      return unsaved > 0 ? keptHere('Not saved yet') : 'Reconnecting...'
    case 'offline':
      return unsaved > 0 ? keptHere('Offline') : 'Offline'
    case 'error':
      return 'Error'
  }
}

const DESCRIPTIONS: Record<SaveStatus, string> = {
  connecting: 'Connecting to the server',
  saving: 'Your latest changes are not yet confirmed by the server',
  saved: 'All changes are saved',
  reconnecting: 'The connection dropped and is being retried. Your changes are kept in this browser and will be saved when it returns',
  offline: 'This browser is offline. Your changes are kept in this browser and will be saved when the connection returns',
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
      {label(status, unsaved)}
    </span>
  )
}

/**
 * In the status's place for a viewer: there is nothing of theirs to save, so "Saved" would only
 * puzzle them. While disconnected it says so, since what they read stops being live.
 */
export function ViewOnlyPill({ status }: { status: SaveStatus }) {
  const disconnected = status === 'reconnecting' || status === 'offline'
  return (
    <span
      className={`inkwell-status inkwell-status--view-only${disconnected ? ' inkwell-status--reconnecting' : ''}`}
      data-testid="read-only-notice"
      data-status={status}
      role="status"
      aria-live="polite"
      title="You can read and see who is here, but not edit"
    >
      {status === 'offline' ? 'View only, offline' : disconnected ? 'View only, reconnecting...' : 'View only'}
    </span>
  )
}
