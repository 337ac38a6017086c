/**
 * What the server's refusals and socket closes mean to a writer:
 * - final: the editor stops and shows the sentence as an error; `forget` also deletes this
 *   browser's offline copy, for a document that is gone or no longer the writer's to see;
 * - transient: the edits are kept, the editor retries with a backoff and shows the sentence as a
 *   notice until the server has everything again;
 * - quiet: an ordinary reconnect, shown only by the status.
 */
export type ServerWord =
  | { kind: 'final'; message: string; forget: boolean }
  | { kind: 'transient'; message: string }
  | { kind: 'quiet' }

export type FinalWord = Extract<ServerWord, { kind: 'final' }>

const final = (message: string, forget = false): FinalWord => ({ kind: 'final', message, forget })
const transient = (message: string): ServerWord => ({ kind: 'transient', message })

/** Keyed by the short reason the server gives, in an authentication refusal or a close. */
const WORDS: Record<string, ServerWord> = {
  'document-not-found': final('This document does not exist, or it has been deleted.', true),
  'access-revoked': final('Your access to this document was removed.', true),
  'permission-denied': final('You do not have access to this document.', true),
  // Told before the socket closes, and at every connect while it lasts.
  'account-disabled': final('Your account has been disabled by an admin, so this document is closed. Ask an admin to enable it again.', true),
  'document-load-failed': final(
    'The server could not load this document. Nothing was changed; try again later, and tell the administrator if it persists.',
  ),
  'access-check-failed': final('The server could not check this document right now. Try again in a moment.'),
  'database-unavailable': transient('The server cannot reach its database right now. Your edits are kept here; retrying.'),
  'document-full': transient('This document has as many people in it as the server allows. Your edits are kept here; retrying.'),
  'rate-limited': transient('Too many connections from your network address right now. Your edits are kept here; retrying shortly.'),
  'too-many-connections': transient('You have this document open in too many tabs or windows. Close some; your edits are kept here, retrying.'),
  // Only an app that multiplexes many documents over one socket meets this one.
  'too-many-sessions': transient('Too many documents are open over one connection. Your edits are kept here; retrying.'),
  // Undoing or deleting the paste is not enough on its own: the deleted text stays in memory for
  // redo and goes out with every sync. Reloading rebuilds the document without it.
  'message-too-large': transient(
    'A change is too large for the server to accept, so nothing can be saved until it is gone. Undo or delete the large paste, then reload the page.',
  ),
  'invalid-update': transient('The server refused a change it could not read. Your edits are kept here; retrying.'),
  'storage-unavailable': transient('The server cannot save right now. Your edits are kept here and will be saved when it can.'),
  // Usually handled before the close arrives: the server says which id, and the editor moves its
  // changes to a fresh one. This is the word when it waits instead (collaboration-session.ts).
  'client-id-taken': transient("The server refused changes under an editor identity another participant used first. Your edits are kept here; retrying."),
  // A graceful shutdown: the server will be back, and the status already says we are reconnecting.
  'server-restarting': { kind: 'quiet' },
}

/** The server's close codes, for closes that carry no reason of ours (ws's own 1009 has none). */
const CLOSE_CODES: Record<number, string> = {
  1007: 'invalid-update',
  1009: 'message-too-large',
  1011: 'storage-unavailable',
  1012: 'server-restarting',
  4403: 'access-revoked',
  4404: 'document-not-found',
  4409: 'client-id-taken',
  4429: 'rate-limited',
}

/** The server closes the sockets of a deleted document with this reason. */
const REASON_ALIASES: Record<string, string> = { 'document-deleted': 'document-not-found' }

/** A refused document; an unknown reason is final, as the server would only refuse it again. */
export function describeRefusal(reason: string): ServerWord {
  return WORDS[REASON_ALIASES[reason] ?? reason] ?? final(`This document could not be opened: ${reason || 'permission denied'}`)
}

/** A closed socket (or document); null for closes that are not ours to explain (network drops). */
export function describeClose(code: number, reason: string): ServerWord | null {
  return WORDS[REASON_ALIASES[reason] ?? reason] ?? WORDS[CLOSE_CODES[code]] ?? null
}

/**
 * A token function's error is the host's own sentence and is shown as it is, unless the host
 * threw one of the server's codes.
 */
export function describeTokenFailure(error: unknown): FinalWord {
  const message = error instanceof Error ? error.message : String(error)
  const word = WORDS[message]
  if (word?.kind === 'final') return word
  // Whatever the host's token function throws stops the editor, as the host decided.
  return final(word?.kind === 'transient' ? word.message : message || 'Could not get access to this document.')
}
