import { HocuspocusProvider, WebSocketStatus } from '@hocuspocus/provider'
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import * as Y from 'yjs'
import { parseServerMessage } from './messages'
import { describeRefusal, describeTokenFailure } from './refusals'
import type { CollaborationToken, DocumentRole, SaveStatus } from './types'

export interface CollaborationSession {
  /** Distinguishes sessions so views bound to an old provider are remounted. */
  id: number
  ydoc: Y.Doc
  provider: HocuspocusProvider
}

export interface CollaborationState {
  /** null until the provider exists (it is created after mount, never during render). */
  session: CollaborationSession | null
  status: SaveStatus
  /** True once the server's copy has arrived; editing before that would race the server's initial state. */
  loaded: boolean
  /** Set once the server refused the document; the provider is stopped by then. */
  failure: string | null
  /**
   * What the server lets this connection do: 'unknown' until it first authenticates us. Kept while
   * offline, so a writer goes on editing (their changes sync when the connection returns).
   */
  access: Access
}

export type Access = 'unknown' | 'read-write' | 'readonly'

interface Options {
  url: string
  documentId: string
  token: CollaborationToken
  onRemoteTitle: (title: string) => void
  onRoleChange: (role: DocumentRole) => void
  onError: (message: string) => void
}

const INITIAL: CollaborationState = { session: null, status: 'connecting', loaded: false, failure: null, access: 'unknown' }
const TRANSIENT_REFUSALS = new Set(['database-unavailable', 'document-full'])
const MAX_REJOIN_DELAY = 30_000
let nextSessionId = 1

/**
 * Owns one Y.Doc + HocuspocusProvider per (url, documentId) and reports an
 * honest save status derived from the provider's own bookkeeping.
 */
export function useCollaboration({ url, documentId, token, onRemoteTitle, onRoleChange, onError }: Options): CollaborationState {
  const [state, setState] = useState<CollaborationState>(INITIAL)

  // Read through refs so a new token or callback never tears down the connection.
  const latest = useRef({ token, onRemoteTitle, onRoleChange, onError })
  useLayoutEffect(() => {
    latest.current = { token, onRemoteTitle, onRoleChange, onError }
  })

  useEffect(() => {
    setState(INITIAL)
    let stop: (() => void) | undefined

    // Deferred by a tick: React strict mode mounts, unmounts and remounts
    // synchronously, so the first (discarded) mount never opens a socket.
    const timer = setTimeout(() => {
      stop = startSession(url, documentId, latest, setState)
    }, 0)

    return () => {
      clearTimeout(timer)
      stop?.()
    }
  }, [url, documentId])

  return state
}

type Latest = { current: Pick<Options, 'token' | 'onRemoteTitle' | 'onRoleChange' | 'onError'> }

function startSession(
  url: string,
  documentId: string,
  latest: Latest,
  setState: (update: (prev: CollaborationState) => CollaborationState) => void,
): () => void {
  const ydoc = new Y.Doc()
  // The provider reports a throwing token function only as a generic authentication failure; keep
  // the host's own message to show instead.
  let tokenFailure: string | null = null
  const provider = new HocuspocusProvider({
    url,
    name: documentId,
    document: ydoc,
    token: async () => {
      const token = latest.current.token
      if (typeof token === 'string') return token
      try {
        return await token()
      } catch (error) {
        tokenFailure = describeTokenFailure(error)
        throw error
      }
    },
  })
  const session: CollaborationSession = { id: nextSessionId++, ydoc, provider }
  const socket = provider.configuration.websocketProvider

  let everConnected = socket.status === WebSocketStatus.Connected
  // The server can drop this document while keeping the socket open (a failed
  // message handler, closeConnections on delete...). The provider then sits
  // unauthenticated forever, so we rejoin ourselves with a backoff.
  let documentClosed = false
  let failure: string | null = null
  let loaded = false
  let access: Access = 'unknown'
  let stopped = false
  let rejoinTimer: ReturnType<typeof setTimeout> | undefined
  let rejoinDelay = 1000

  const deriveStatus = (): SaveStatus => {
    if (failure) return 'error'
    if (socket.status === WebSocketStatus.Connected && !documentClosed) {
      // unsyncedChanges only drops to 0 when the server acknowledges every update.
      return provider.isSynced && provider.unsyncedChanges === 0 ? 'saved' : 'saving'
    }
    return everConnected ? 'offline' : 'connecting'
  }

  const publish = () => {
    const status = deriveStatus()
    setState(prev =>
      prev.session === session &&
      prev.status === status &&
      prev.loaded === loaded &&
      prev.failure === failure &&
      prev.access === access
        ? prev
        : { session, status, loaded, failure, access },
    )
  }

  const stop = () => {
    if (stopped) return
    stopped = true
    clearTimeout(rejoinTimer)
    provider.destroy()
  }

  /** Shows the reason and stops for good: reconnecting could only be refused again. */
  const fail = (message: string) => {
    if (failure) return
    failure = message
    publish()
    latest.current.onError(failure)
    // Defer: destroying the provider from inside its own event dispatch would
    // tear down listeners mid-iteration.
    setTimeout(stop, 0)
  }

  const scheduleRejoin = () => {
    clearTimeout(rejoinTimer)
    rejoinTimer = setTimeout(() => {
      if (stopped || !documentClosed || socket.status !== WebSocketStatus.Connected) return
      // onOpen re-sends the auth token and restarts the sync handshake without
      // sending a CLOSE message first (which the server would replay after auth).
      void provider.onOpen(new Event('open'))
    }, rejoinDelay)
    rejoinDelay = Math.min(rejoinDelay * 2, MAX_REJOIN_DELAY)
  }

  provider.on('status', ({ status }: { status: WebSocketStatus }) => {
    if (status === WebSocketStatus.Connected) everConnected = true
    else {
      // A new socket re-authenticates every attached document by itself.
      documentClosed = false
      clearTimeout(rejoinTimer)
    }
    publish()
  })

  provider.on('synced', () => {
    loaded = true
    documentClosed = false
    rejoinDelay = 1000
    publish()
  })

  provider.on('unsyncedChanges', publish)

  provider.on('close', () => {
    if (socket.status === WebSocketStatus.Connected && !failure) {
      documentClosed = true
      scheduleRejoin()
    }
    publish()
  })

  provider.on('authenticated', ({ scope }: { scope: string }) => {
    access = scope === 'read-write' ? 'read-write' : 'readonly'
    publish()
  })

  provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
    // The server could not check access (its database is away): that passes, so keep the edits and
    // try again with a backoff instead of giving up.
    if (!tokenFailure && TRANSIENT_REFUSALS.has(reason)) {
      documentClosed = true
      publish()
      scheduleRejoin()
      return
    }
    fail(tokenFailure ?? describeRefusal(reason))
  })

  provider.on('stateless', ({ payload }: { payload: string }) => {
    const message = parseServerMessage(payload)
    if (message?.type === 'title') latest.current.onRemoteTitle(message.title)
    else if (message?.type === 'role') {
      access = message.role === 'viewer' ? 'readonly' : 'read-write'
      publish()
      latest.current.onRoleChange(message.role)
    } else if (message?.type === 'access-revoked') {
      // Marked as failed before the server's close arrives, so that close is not mistaken for a
      // dropped document and rejoined.
      fail(describeRefusal('access-revoked'))
    }
  })

  publish()
  return stop
}
