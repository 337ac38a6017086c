import type { HocuspocusProviderWebsocket } from '@hocuspocus/provider'

/**
 * The provider restarts its count of unacknowledged changes at 1 (for the sync step 2 it is about to
 * send) whenever it joins, yet still flushes the updates it queued while disconnected. Their
 * acknowledgements would bring the count to 0, and so show "Saved", before the server has that sync
 * step 2, which carries the same changes and any from an earlier session in this browser. The queue
 * is only a duplicate of the step 2, so dropping it makes the count exact.
 */
export function dropQueuedMessages(socket: HocuspocusProviderWebsocket) {
  const queue = (socket as unknown as { messageQueue?: unknown }).messageQueue
  if (Array.isArray(queue)) queue.length = 0
  else console.error('[inkwell] the provider has no messageQueue any more; "Saved" may show early after a reconnect')
}
