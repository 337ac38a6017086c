import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import * as Y from 'yjs'
import { type Access, type CarriedState, type CollaborationSession, type SessionHost, type SessionState, startCollaboration } from './collaboration-session'
import { openOfflineCopy } from './offline-store'
import type { SaveStatus } from './types'

export type { Access, CollaborationSession } from './collaboration-session'

export interface CollaborationState extends Omit<SessionState, 'session'> {
  /** null until the provider exists (it is created after mount, once any offline copy is loaded). */
  session: CollaborationSession | null
  status: SaveStatus
}

interface Options extends SessionHost {
  url: string
  documentId: string
  /** Keep and load a copy of the document in IndexedDB. */
  offline: boolean
}

const INITIAL: CollaborationState = {
  session: null,
  status: 'connecting',
  unsaved: 0,
  loaded: false,
  failure: null,
  withdrawn: false,
  notice: null,
  access: 'unknown',
}

/** Owns one Y.Doc + HocuspocusProvider (and offline copy) per (url, documentId). */
export function useCollaboration({ url, documentId, offline, token, onRemoteTitle, onRoleChange, onError, healthUrl }: Options): CollaborationState {
  const [state, setState] = useState<CollaborationState>(INITIAL)

  // Read through refs so a new token or callback never tears down the connection.
  const host = useRef<SessionHost>({ token, onRemoteTitle, onRoleChange, onError, healthUrl })
  useLayoutEffect(() => {
    host.current = { token, onRemoteTitle, onRoleChange, onError, healthUrl }
  })

  useEffect(() => {
    setState(INITIAL)
    let stopped = false
    let stop: (() => void) | undefined
    const report = (next: SessionState) => {
      if (!stopped) setState(prev => (sameState(prev, next) ? prev : next))
    }

    const open = async (ydoc: Y.Doc, carried?: CarriedState) => {
      // Loaded before the provider exists: the stored state then goes to the server as the small
      // difference of a sync step, never as one big update. (A restarted session's document is
      // written to a new copy as it opens.)
      const copy = offline ? await openOfflineCopy(url, documentId, ydoc) : null
      if (stopped) {
        copy?.close()
        return
      }
      stop = startCollaboration(url, documentId, ydoc, copy, host, report, (next, state) => void open(next, state), carried)
    }

    // Deferred by a tick: React strict mode mounts, unmounts and remounts synchronously, so the
    // first (discarded) mount never opens a socket or a database.
    const timer = setTimeout(() => void open(new Y.Doc()), 0)

    return () => {
      stopped = true
      clearTimeout(timer)
      stop?.()
    }
  }, [url, documentId, offline])

  return state
}

function sameState(a: CollaborationState, b: SessionState): boolean {
  return (Object.keys(b) as (keyof SessionState)[]).every(key => a[key] === b[key])
}
