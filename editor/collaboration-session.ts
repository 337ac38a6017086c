import { HocuspocusProvider, WebSocketStatus } from '@hocuspocus/provider'
import * as Y from 'yjs'
import { moveToFreshClientId } from './fresh-client-id'
import { parseServerMessage } from './messages'
import { changesSince, type OfflineCopy } from './offline-store'
import { dropQueuedMessages } from './provider-queue'
import { createBackoff, nextProbeDelay, PROBE, RECONNECT } from './reconnect'
import { describeClose, describeRefusal, describeTokenFailure, type FinalWord, type ServerWord } from './refusals'
import type { CollaborationToken, DocumentRole, SaveStatus } from './types'

export interface CollaborationSession {
  /** Distinguishes sessions so views bound to an old provider are remounted. */
  id: number
  ydoc: Y.Doc
  provider: HocuspocusProvider
  /** Tries to connect at once, dropping any backoff wait and starting the backoff over. */
  reconnectNow: () => void
}

/**
 * What the server lets this connection do: 'unknown' until it first authenticates us (or this
 * browser's offline copy remembers). Kept while offline, so a writer goes on editing.
 */
export type Access = 'unknown' | 'read-write' | 'readonly'

export interface SessionState {
  session: CollaborationSession
  status: SaveStatus
  /** Changes the server has not confirmed; counted only while reconnecting or offline. */
  unsaved: number
  /** True once the document's content is here, from the server or from the offline copy. */
  loaded: boolean
  /** Set once the editor stopped for good; the provider is stopped by then. */
  failure: string | null
  /**
   * With a failure: the document is no longer this reader's to see (access removed, deleted), and
   * this browser's copy is gone, so the text on screen is hidden too.
   */
  withdrawn: boolean
  /** A passing problem the writer should know about while the editor retries. */
  notice: string | null
  access: Access
}

export interface SessionHost {
  token: CollaborationToken
  onRemoteTitle: (title: string) => void
  onRoleChange: (role: DocumentRole) => void
  onError: (message: string) => void
  /** Polled while disconnected to learn that the server is back; null: no probe. */
  healthUrl: string | null
}

/** What a session hands the next one when it restarts on a new document. */
export interface CarriedState {
  confirmed: Y.Snapshot
  access: Access
  notice: string
}

/** Starts a session on `ydoc` in place of one that has stopped. */
export type Restart = (ydoc: Y.Doc, carried: CarriedState) => void

const CLIENT_ID_MOVED =
  "Another participant's editor wrote under your editor's identity, so the server refused your latest changes. They are kept, and are being saved again."

let nextSessionId = 1

/**
 * Joins the document over a HocuspocusProvider and reports an honest save status derived from the
 * provider's own bookkeeping. `ydoc` already holds the offline copy, if there is one.
 */
export function startCollaboration(
  url: string,
  documentId: string,
  ydoc: Y.Doc,
  copy: OfflineCopy | null,
  host: { current: SessionHost },
  report: (state: SessionState) => void,
  restart: Restart,
  carried?: CarriedState,
): () => void {
  // The provider reports a throwing token function only as a generic authentication failure; keep
  // the host's own message to show instead.
  let tokenFailure: FinalWord | null = null
  const provider = new HocuspocusProvider({
    ...RECONNECT,
    url,
    name: documentId,
    document: ydoc,
    token: async () => {
      const token = host.current.token
      if (typeof token === 'string') return token
      try {
        return await token()
      } catch (error) {
        tokenFailure = describeTokenFailure(error)
        throw error
      }
    },
  })
  const session: CollaborationSession = { id: nextSessionId++, ydoc, provider, reconnectNow: () => reconnectNow() }
  const socket = provider.configuration.websocketProvider

  let loaded = carried != null || copy?.confirmed != null
  let access: Access = carried?.access ?? ((loaded && copy?.access) || 'unknown')
  // What the server is known to have. Only ever advanced to a state it has acknowledged, so the
  // unsaved count derived from it can be too high but never too low.
  let confirmed = carried?.confirmed ?? copy?.confirmed ?? Y.emptySnapshot
  if (carried) copy?.saveConfirmed(carried.confirmed)
  // Until the first attempt ends, not being connected is "connecting", not "reconnecting".
  let attempted = false
  // The server can drop this document while keeping the socket open (a failed message handler,
  // a refusal that passes...). The provider then sits unauthenticated forever, so we rejoin.
  let documentClosed = false
  let failure: string | null = null
  let withdrawn = false
  let notice: string | null = carried?.notice ?? null
  let stopped = false
  // Set once this session hands its document over to a new one (see moveToFreshClient).
  let moving = false
  let rejoinTimer: ReturnType<typeof setTimeout> | undefined
  let holdOffTimer: ReturnType<typeof setTimeout> | undefined
  let probeTimer: ReturnType<typeof setTimeout> | undefined
  // Set when a probe found the server not answering during this outage; its next answer reconnects.
  let serverAway = false
  const backoff = createBackoff()

  const connected = () => socket.status === WebSocketStatus.Connected
  const allAcknowledged = () =>
    socket.status === WebSocketStatus.Connected && !documentClosed && provider.isSynced && provider.unsyncedChanges === 0

  const deriveStatus = (): SaveStatus => {
    if (failure) return 'error'
    if (!loaded) return 'connecting'
    if (navigator.onLine === false) return 'offline'
    if (socket.status === WebSocketStatus.Connected && !documentClosed) return allAcknowledged() ? 'saved' : 'saving'
    return attempted ? 'reconnecting' : 'connecting'
  }

  const publish = () => {
    if (allAcknowledged()) {
      const snapshot = Y.snapshot(ydoc)
      if (!Y.equalSnapshots(snapshot, confirmed)) {
        confirmed = snapshot
        copy?.saveConfirmed(snapshot)
      }
      notice = null
      backoff.reset()
    }
    const status = deriveStatus()
    // A reload soon after the last save must not find an older confirmed state than this tab had:
    // it would count saved changes as unsaved. Nothing new can be confirmed until we are back.
    if (status === 'reconnecting' || status === 'offline') copy?.flushConfirmed()
    const unsaved = status === 'reconnecting' || status === 'offline' ? changesSince(ydoc, confirmed) : 0
    report({ session, status, unsaved, loaded, failure, withdrawn, notice, access })
  }

  const stop = (closeCopy = true) => {
    if (stopped) return
    stopped = true
    clearTimeout(rejoinTimer)
    clearTimeout(holdOffTimer)
    clearTimeout(probeTimer)
    window.removeEventListener('online', onOnline)
    window.removeEventListener('offline', publish)
    window.removeEventListener('pagehide', flushConfirmed)
    ydoc.off('update', publish)
    provider.destroy()
    if (closeCopy) copy?.close()
  }

  /**
   * The server refused our changes because another user wrote under `clientId` first. Our content
   * under it moves to a fresh client id, in a new document the next session starts from; the
   * offline copy, which holds the refused content as it was, is replaced by it.
   */
  const moveToFreshClient = (clientId: number) => {
    if (moving || failure) return
    // Content under that id that the server once confirmed to us is not ours to move: it is someone
    // else's change we passed on (after a server crash between its broadcast and its commit, say),
    // which its author will send again. Moving it would duplicate it; waiting loses nothing.
    if ((confirmed.sv.get(clientId) ?? 0) > 0) return handle(describeClose(4409, 'client-id-taken'))
    moving = true
    const moved = moveToFreshClientId(ydoc, clientId)
    console.warn(`[inkwell] the server refused changes under client id ${clientId} of ${documentId}, which another user wrote under first; they are sent again under ${moved.clientID}`)
    // Deferred: destroying the provider from inside its own event dispatch would tear down
    // listeners mid-iteration.
    setTimeout(() => {
      stop(false)
      void (copy ? copy.forget() : Promise.resolve()).then(() => restart(moved, { confirmed, access, notice: CLIENT_ID_MOVED }))
    }, 0)
  }

  /** Shows the reason and stops for good: reconnecting could only be refused again. */
  const finish = (word: FinalWord) => {
    if (failure) return
    failure = word.message
    withdrawn = word.forget
    if (word.forget) copy?.forget()
    publish()
    host.current.onError(failure)
    // Deferred: destroying the provider from inside its own event dispatch would tear down
    // listeners mid-iteration.
    setTimeout(stop, 0)
  }

  const scheduleRejoin = () => {
    clearTimeout(rejoinTimer)
    rejoinTimer = setTimeout(() => {
      if (stopped || !documentClosed || socket.status !== WebSocketStatus.Connected) return
      // onOpen re-sends the auth token and restarts the sync handshake without sending a CLOSE
      // message first (which the server would replay after auth).
      void provider.onOpen(new Event('open'))
    }, backoff.next())
  }

  /** After the server closed the socket over something that passes, reconnect only after a backoff. */
  const holdOff = () => {
    // Cancels the provider's own reconnect, due after its fixed first delay.
    socket.disconnect()
    clearTimeout(holdOffTimer)
    holdOffTimer = setTimeout(() => {
      holdOffTimer = undefined
      if (!stopped) void socket.connect()
    }, backoff.next())
  }

  const handle = (word: ServerWord | null) => {
    if (word?.kind === 'final') return finish(word)
    if (word?.kind === 'transient') notice = word.message
    if (socket.status === WebSocketStatus.Connected) {
      documentClosed = true
      scheduleRejoin()
    } else if (word?.kind === 'transient') holdOff()
    publish()
  }

  /**
   * A new attempt at once: connect() drops the provider's pending retry and starts a fresh one whose
   * first attempt is immediate and whose backoff starts over. An attempt still in flight is replaced
   * too, since one held by a network that drops packets can hang for minutes.
   */
  const connectNow = () => {
    if (socket.status !== WebSocketStatus.Connected) void socket.connect()
  }

  /** Retry now (the writer asked, or the server answers again): whatever wait we were in is over. */
  const reconnectNow = () => {
    if (stopped || failure || moving) return
    backoff.reset()
    clearTimeout(holdOffTimer)
    holdOffTimer = undefined
    if (socket.status === WebSocketStatus.Connected) {
      if (!documentClosed) return
      clearTimeout(rejoinTimer)
      void provider.onOpen(new Event('open'))
    } else connectNow()
    publish()
  }

  // Back on the network: try now rather than at the end of a backoff. A wait the server asked for
  // (holdOff) still runs its course: the server's trouble did not end with our network's.
  const onOnline = () => {
    if (!holdOffTimer) connectNow()
    publish()
  }

  const serverAnswers = async (healthUrl: string): Promise<boolean> => {
    try {
      const response = await fetch(healthUrl, { cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(PROBE.timeout) })
      return response.ok
    } catch {
      // Refused, timed out or blocked: the server is not there for us, which is what we ask.
      return false
    }
  }

  /** Runs while the socket is not connected; see PROBE. */
  const probeWhileDisconnected = () => {
    if (probeTimer !== undefined || !host.current.healthUrl) return
    probeTimer = setTimeout(async () => {
      const healthUrl = host.current.healthUrl
      // The browser's own online event covers a browser that knows it is offline.
      if (healthUrl && navigator.onLine !== false && !connected()) {
        const answered = await serverAnswers(healthUrl)
        if (!answered) serverAway = true
        // (A socket that connected meanwhile cleared serverAway.)
        else if (serverAway) {
          serverAway = false
          reconnectNow()
        }
      }
      probeTimer = undefined
      if (!stopped && !failure && !connected()) probeWhileDisconnected()
    }, nextProbeDelay())
  }
  window.addEventListener('online', onOnline)
  window.addEventListener('offline', publish)
  // A reload does not unmount React, so `stop` never runs then; pagehide is the last word we get.
  const flushConfirmed = () => copy?.flushConfirmed()
  window.addEventListener('pagehide', flushConfirmed)
  // Remote changes move `confirmed` on while nothing of ours is pending; local ones change the count.
  ydoc.on('update', publish)

  provider.on('open', () => dropQueuedMessages(socket))

  provider.on('status', ({ status }: { status: WebSocketStatus }) => {
    if (status !== WebSocketStatus.Connecting) attempted = true
    if (status !== WebSocketStatus.Connected) {
      // A new socket re-authenticates every attached document by itself.
      documentClosed = false
      clearTimeout(rejoinTimer)
      probeWhileDisconnected()
    } else serverAway = false
    publish()
  })

  provider.on('synced', () => {
    loaded = true
    documentClosed = false
    publish()
  })

  provider.on('unsyncedChanges', publish)

  provider.on('close', ({ event }: { event: { code: number; reason: string } }) => {
    if (!failure && !moving) handle(describeClose(event.code, event.reason))
  })

  provider.on('authenticated', ({ scope }: { scope: string }) => {
    access = scope === 'read-write' ? 'read-write' : 'readonly'
    copy?.saveAccess(access)
    publish()
  })

  provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
    if (tokenFailure) return finish(tokenFailure)
    // A refusal over an open socket: rejoined with the backoff unless it is final.
    handle(describeRefusal(reason))
  })

  provider.on('stateless', ({ payload }: { payload: string }) => {
    const message = parseServerMessage(payload)
    if (message?.type === 'title') host.current.onRemoteTitle(message.title)
    else if (message?.type === 'role') {
      access = message.role === 'viewer' ? 'readonly' : 'read-write'
      copy?.saveAccess(access)
      publish()
      host.current.onRoleChange(message.role)
    } else if (message?.type === 'access-revoked') {
      // Marked as failed before the server's close arrives, so that close is not mistaken for a
      // dropped document and rejoined.
      handle(describeRefusal('access-revoked'))
    } else if (message?.type === 'client-id-taken') {
      moveToFreshClient(message.clientId)
    }
  })

  publish()
  return stop
}
