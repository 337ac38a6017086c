import { clearDocument, IndexeddbPersistence } from 'y-indexeddb'
import * as Y from 'yjs'

export type StoredAccess = 'read-write' | 'readonly'

/**
 * This browser's copy of one document in IndexedDB: every Yjs update (kept by y-indexeddb as it
 * happens, so a reload or a closed tab loses nothing), plus what the server last confirmed and the
 * access it granted, so that an offline reload can edit and count what is still unsaved.
 */
export interface OfflineCopy {
  /**
   * The document as the server had confirmed it, the last time this browser saw everything
   * acknowledged; null if this browser has never had the server's copy of this document.
   */
  confirmed: Y.Snapshot | null
  access: StoredAccess | null
  saveConfirmed(snapshot: Y.Snapshot): void
  /** Writes a confirmed state still held back by the throttle: the connection is gone, or the page is. */
  flushConfirmed(): void
  saveAccess(access: StoredAccess): void
  /** Forgets the copy, for a document that is gone or no longer ours to see; resolves once it is deleted. */
  forget(): Promise<void>
  close(): void
}

const CONFIRMED = 'confirmed-snapshot'
const ACCESS = 'access'
// Long enough for a slow disk, short enough that a broken IndexedDB (some private modes) does not
// keep the writer from the server's copy.
const LOAD_TIMEOUT_MS = 5_000
const CONFIRMED_WRITE_INTERVAL_MS = 1_000

export function offlineDatabaseName(url: string, documentId: string): string {
  return `inkwell:${url}:${documentId}`
}

/**
 * Loads the stored copy into `doc` (before any provider is attached, so the load is not sent to the
 * server as a change). Resolves with null when IndexedDB cannot be used; the editor then works
 * online only, as it would with `offline={false}`.
 */
export async function openOfflineCopy(url: string, documentId: string, doc: Y.Doc): Promise<OfflineCopy | null> {
  const name = offlineDatabaseName(url, documentId)
  if (typeof indexedDB === 'undefined') {
    console.error(`[inkwell] IndexedDB is not available; edits to ${documentId} are kept only while this tab is open`)
    return null
  }
  const persistence = new IndexeddbPersistence(name, doc)
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    await Promise.race([
      persistence.whenSynced,
      // y-indexeddb never settles whenSynced when the database cannot be opened.
      persistence._db.then(() => new Promise<never>(() => {})),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${LOAD_TIMEOUT_MS / 1000} s`)), LOAD_TIMEOUT_MS)
      }),
    ])
    const [confirmed, access] = await Promise.all([persistence.get(CONFIRMED), persistence.get(ACCESS)])
    let closed = false
    let pending: Y.Snapshot | null = null
    let throttle: ReturnType<typeof setTimeout> | undefined
    const writePending = () => {
      if (!pending) return
      // A copy of exactly these bytes: the encoder's array may be a view into a larger buffer.
      const bytes = new Uint8Array(Y.encodeSnapshot(pending))
      pending = null
      persistence.set(CONFIRMED, bytes.buffer).catch(error =>
        console.error(`[inkwell] could not record the confirmed state of ${documentId} in ${name}`, error),
      )
    }
    return {
      confirmed: confirmed instanceof ArrayBuffer ? Y.decodeSnapshot(new Uint8Array(confirmed)) : null,
      access: access === 'read-write' || access === 'readonly' ? access : null,
      saveConfirmed(snapshot) {
        if (closed) return
        // The first at once (it is what lets an offline reload edit), then at most one a second
        // while people type: an older stored state only overstates the unsaved count after a
        // reload, it never hides a change.
        pending = snapshot
        if (throttle) return
        writePending()
        throttle = setTimeout(() => {
          throttle = undefined
          writePending()
        }, CONFIRMED_WRITE_INTERVAL_MS)
      },
      flushConfirmed() {
        if (closed || !pending) return
        clearTimeout(throttle)
        throttle = undefined
        writePending()
      },
      saveAccess(next) {
        if (closed) return
        persistence.set(ACCESS, next).catch(error => console.error(`[inkwell] could not record access to ${documentId} in ${name}`, error))
      },
      forget() {
        if (closed) return Promise.resolve()
        closed = true
        clearTimeout(throttle)
        return persistence
          .destroy()
          .then(() => clearDocument(name))
          .catch(error => console.error(`[inkwell] could not delete the offline copy ${name}`, error))
      },
      close() {
        if (closed) return
        closed = true
        clearTimeout(throttle)
        writePending()
        persistence.destroy().catch(error => console.error(`[inkwell] could not close the offline copy ${name}`, error))
      },
    }
  } catch (error) {
    console.error(`[inkwell] could not open the offline copy ${name}; edits are kept only while this tab is open`, error)
    void persistence.destroy().catch(() => {})
    return null
  } finally {
    clearTimeout(timer)
  }
}

/**
 * How many units of content (characters, formatting marks, elements) the document has gained or
 * lost since `confirmed`. Anything the server has not confirmed is counted, so the number can be too
 * high (a remote change that arrived while ours were pending) but never too low.
 */
export function changesSince(doc: Y.Doc, confirmed: Y.Snapshot): number {
  const current = Y.snapshot(doc)
  let changes = 0
  current.sv.forEach((clock, client) => {
    changes += Math.max(0, clock - (confirmed.sv.get(client) ?? 0))
  })
  current.ds.clients.forEach((ranges, client) => {
    const known = confirmed.ds.clients.get(client) ?? []
    for (const range of ranges) changes += range.len - overlap(range.clock, range.clock + range.len, known)
  })
  return changes
}

/** How much of [start, end) the (sorted, non-overlapping) delete ranges cover. */
function overlap(start: number, end: number, ranges: readonly { clock: number; len: number }[]): number {
  let covered = 0
  for (const range of ranges) {
    if (range.clock >= end) break
    covered += Math.max(0, Math.min(end, range.clock + range.len) - Math.max(start, range.clock))
  }
  return covered
}
