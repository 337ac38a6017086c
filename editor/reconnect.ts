/**
 * How the collaboration socket reconnects, given to the provider explicitly rather than left to
 * its defaults, so that the numbers we promise are the numbers in force.
 *
 * - Backoff: the first retry after 1 s, then doubling up to 5 s, each delay drawn at random between
 *   1 s and that bound ("full jitter"): a server restart drops everyone at once, and jitter keeps
 *   them from all knocking again in the same instant. The ceiling was 30 s, which left a writer
 *   waiting 9 to 14 s on average after a long outage. Knocking on a server that is down costs it
 *   nothing (the connection is refused), and one that is up but in trouble says so with a close we
 *   answer with the longer backoff below, so 5 s (2.5 s per client on average) is cheap. The probe
 *   (PROBE) usually reconnects sooner still.
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
  maxDelay: 5_000,
  jitter: true,
  messageReconnectTimeout: 20_000,
} as const

/**
 * The backoff for waits of our own, after the server closed the socket over something that passes
 * (storage down, a change too large, a full document): the provider would reconnect after a fixed
 * `delay`, so the sequence that fails again would repeat every second. The server is up and said it
 * is struggling, so this one keeps the old 30 s ceiling: thousands of writers knocking every few
 * seconds would only add to its trouble.
 */
export const HOLD_OFF_MAX_DELAY = 30_000

export function createBackoff() {
  let bound: number = RECONNECT.delay
  return {
    next(): number {
      const delay = RECONNECT.minDelay + Math.floor(Math.random() * (bound - RECONNECT.minDelay + 1))
      bound = Math.min(bound * RECONNECT.factor, HOLD_OFF_MAX_DELAY)
      return delay
    },
    reset() {
      bound = RECONNECT.delay
    },
  }
}

/**
 * While disconnected, a cheap GET of the server's health URL every 1 to 2 s (jittered like the
 * backoff, for the same reason), so that a writer reconnects as soon as the server answers again
 * rather than at the end of a backoff delay: the server is back within ~2 s, and saved within 3 s of
 * returning. Only a change from not answering to answering reconnects: a server that answers all
 * along while the socket still fails is left to the backoff, or every probe would knock again.
 * A probe that hangs longer than `timeout` counts as no answer (a network that drops packets).
 */
export const PROBE = {
  minInterval: 1_000,
  maxInterval: 2_000,
  timeout: 3_000,
} as const

export function nextProbeDelay(): number {
  return PROBE.minInterval + Math.floor(Math.random() * (PROBE.maxInterval - PROBE.minInterval + 1))
}

/** The Inkwell server's /healthz on the collaboration socket's host: ws://host/collab → http://host/healthz. */
export function healthUrlOf(socketUrl: string): string | null {
  try {
    const url = new URL(socketUrl)
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return null
    url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:'
    url.pathname = '/healthz'
    url.search = ''
    url.hash = ''
    return url.toString()
  } catch {
    return null
  }
}
