import { ApiError, messageOf } from '../../apiRequest'
import { requestCollabToken, type CollabToken } from '../../documentsApi'

/** The API answers 404 alike for a deleted document and one you may no longer see. */
export const NO_ACCESS = 'This document was deleted, or your access to it was removed.'
export const SIGNED_OUT = 'You were signed out. Reload the page and sign in again to keep editing.'

const RETRY_DELAYS = [500, 1000, 2000, 4000, 8000]

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/**
 * A fresh collaboration token. The editor stops for good when this throws, so failures that may
 * pass (no network, server busy or restarting) are retried first; refusals are not.
 */
export async function fetchCollabToken(documentId: string): Promise<CollabToken> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestCollabToken(documentId)
    } catch (error) {
      if (error instanceof ApiError) {
        if (error.status === 404 || error.status === 403) throw new Error(NO_ACCESS)
        if (error.status === 401) throw new Error(SIGNED_OUT)
        if (error.status >= 400 && error.status < 500) throw error
      }
      if (attempt >= RETRY_DELAYS.length) throw new Error(`Could not connect to this document: ${messageOf(error)}`)
      await sleep(RETRY_DELAYS[attempt])
    }
  }
}
