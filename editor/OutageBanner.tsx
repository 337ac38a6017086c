import { useEffect, useState } from 'react'
import type { SaveStatus } from './types'

/**
 * How long a dropped connection goes unexplained beyond the pill. Shorter would flash the banner at
 * every server restart or brief network blip, which reconnect by themselves within a few seconds;
 * an offline browser is explained at once, since it will not fix itself.
 */
export const OUTAGE_BANNER_DELAY_MS = 12_000

/** True once the writer has been disconnected for a while (or at once when offline), false again once back. */
export function useOutageExplained(status: SaveStatus): boolean {
  const [explained, setExplained] = useState(false)
  const disconnected = status === 'reconnecting' || status === 'offline'
  const offline = status === 'offline'
  useEffect(() => {
    if (!disconnected) return setExplained(false)
    if (offline) return setExplained(true)
    const timer = setTimeout(() => setExplained(true), OUTAGE_BANNER_DELAY_MS)
    return () => clearTimeout(timer)
  }, [disconnected, offline])
  return explained
}

/** Fixed at the bottom of the window, so a writer scrolled far down the document sees it too. */
export function OutageBanner({ offline, onRetry }: { offline: boolean; onRetry: () => void }) {
  return (
    <div className="inkwell-outage" data-testid="outage-banner" role="status">
      <p className="inkwell-outage__text">
        <strong>{offline ? 'This browser is offline.' : 'The server cannot be reached right now.'}</strong>{' '}
        Nothing is lost: your changes are kept in this browser and are saved as soon as the connection is back.
      </p>
      <button type="button" className="inkwell-outage__retry" data-testid="retry-now" onClick={onRetry}>
        Retry now
      </button>
    </div>
  )
}
