import { HocuspocusProvider, WebSocketStatus } from '@hocuspocus/provider'
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import * as Y from 'yjs'
import type { SaveStatus } from './types'

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
}

interface Options {
  url: string
  documentId: string
  token: string
  onRemoteTitle: (title: string) => void
  onError: (message: string) => void
}

const INITIAL: CollaborationState = { session: null, status: 'connecting', loaded: false, failure: null }
const MAX_REJOIN_DELAY = 30_000
let nextSessionId = 1

/**
 * Owns one Y.Doc + HocuspocusProvider per (url, documentId) and reports an
 * honest save status derived from the provider's own bookkeeping.
 */
export function useCollaboration({ url, documentId, token, onRemoteTitle, onError }: Options): CollaborationState {
  const [state, setState] = useState<CollaborationState>(INITIAL)

  // Read through refs so a new token or callback never tears down the connection.
  const latest = useRef({ token, onRemoteTitle, onError })
  useLayoutEffect(() => {
    latest.current = { token, onRemoteTitle, onError }
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

type Latest = { current: { token: string; onRemoteTitle: (title: string) => void; onError: (message: string) => void } }

function startSession(
  url: string,
  documentId: string,
  latest: Latest,
  setState: (update: (prev: CollaborationState) => CollaborationState) => void,
): () => void {
  const ydoc = new Y.Doc()
  const provider = new HocuspocusProvider({
    url,
    name: documentId,
    document: ydoc,
    token: () => latest.current.token,
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
      prev.session === session && prev.status === status && prev.loaded === loaded && prev.failure === failure
        ? prev
        : { session, status, loaded, failure },
    )
  }

  const stop = () => {
    if (stopped) return
    stopped = true
    clearTimeout(rejoinTimer)
    provider.destroy()
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

  provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
    failure = describeRefusal(reason)
    publish()
    latest.current.onError(failure)
    // Defer: destroying the provider from inside its own event dispatch would
    // tear down listeners mid-iteration.
    setTimeout(stop, 0)
  })

  provider.on('stateless', ({ payload }: { payload: string }) => {
    const title = parseTitleMessage(payload)
    if (title !== null) latest.current.onRemoteTitle(title)
  })

  publish()
  return stop
}

const REFUSALS: Record<string, string> = {
  'document-not-found': 'This document does not exist, or it has been deleted.',
  'document-load-failed':
    'The server could not load this document. Nothing was changed; try again later, and tell the administrator if it persists.',
  'access-check-failed': 'The server could not check this document right now. Try again in a moment.',
}

/** The server refuses with a short code; writers get a sentence. */
function describeRefusal(reason: string): string {
  return REFUSALS[reason] ?? `This document could not be opened: ${reason || 'permission denied'}`
}

function parseTitleMessage(payload: string): string | null {
  try {
    const message: unknown = JSON.parse(payload)
    if (
      typeof message === 'object' &&
      message !== null &&
      (message as { type?: unknown }).type === 'title' &&
      typeof (message as { title?: unknown }).title === 'string'
    ) {
      return (message as { title: string }).title
    }
  } catch {
    // Other stateless messages are not ours to interpret.
  }
  return null
}
