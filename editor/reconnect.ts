/**
 * How the collaboration socket reconnects, given to the provider explicitly rather than left to
 * its defaults, so that the numbers we promise are the numbers in force.
 *
 * - Backoff: the first retry after 1 s, then doubling up to 30 s, each delay drawn at random between
 *   1 s and that bound ("full jitter"): a server restart drops everyone at once, and jitter keeps
 *   them from all knocking again in the same instant.
 * - Dead sockets: a socket that has received nothing for 20 s is given up. The provider checks every
 *   timeout / 10 = 2 s and abandons the socket on the third check past the timeout, so a silent
 *   socket (a laptop lid closed, a NAT that forgot us) is replaced within ~26 s, under the 30 s we
 *   promise. The server sends a Ping frame every 10 s, which the provider answers, so a healthy idle
 *   socket never goes that quiet.
 */
export const RECONNECT = {
  delay: 1_000,
  minDelay: 1_000,
  factor: 2,
  maxDelay: 30_000,
  jitter: true,
  messageReconnectTimeout: 20_000,
} as const

/**
 * The same backoff for waits of our own: after the server closed the socket over something that
 * passes (storage down, a change too large), the provider would reconnect after a fixed `delay`, so
 * the sequence that fails again would repeat every second.
 */
export function createBackoff() {
  let bound: number = RECONNECT.delay
  return {
    next(): number {
      const delay = RECONNECT.minDelay + Math.floor(Math.random() * (bound - RECONNECT.minDelay + 1))
      bound = Math.min(bound * RECONNECT.factor, RECONNECT.maxDelay)
      return delay
    },
    reset() {
      bound = RECONNECT.delay
    },
  }
}
