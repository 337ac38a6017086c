const REFUSALS: Record<string, string> = {
  'document-not-found': 'This document does not exist, or it has been deleted.',
  'document-load-failed':
    'The server could not load this document. Nothing was changed; try again later, and tell the administrator if it persists.',
  'access-check-failed': 'The server could not check this document right now. Try again in a moment.',
  'database-unavailable': 'The server cannot reach its database right now; retrying.',
  'document-full': 'This document has as many people in it as the server allows; retrying.',
  'access-revoked': 'Your access to this document was removed.',
  'permission-denied': 'You do not have access to this document.',
}

/** The server refuses with a short code; writers get a sentence. */
export function describeRefusal(reason: string): string {
  return REFUSALS[reason] ?? `This document could not be opened: ${reason || 'permission denied'}`
}

/**
 * A token function's error is the host's own sentence and is shown as it is, unless the host
 * threw one of the server's codes.
 */
export function describeTokenFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return REFUSALS[message] ?? (message || 'Could not get access to this document.')
}
