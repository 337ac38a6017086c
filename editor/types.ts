export interface InkwellUser {
  name: string
  /** A 6-digit CSS hex colour such as '#e0457b' (the caret renderer ignores other formats). */
  color: string
}

/**
 * Where the writer's changes are:
 * - `connecting`: the document's content has not arrived yet (from the server, or from this
 *   browser's offline copy); nothing can be typed;
 * - `saving`: connected, and some changes are not yet acknowledged by the server;
 * - `saved`: connected, and the server has stored every change made here;
 * - `reconnecting`: the connection dropped and is being retried; edits go on and are kept in this
 *   browser until the server has them;
 * - `offline`: the browser says it has no network; edits go on and are kept as above;
 * - `error`: the editor stopped for good (no access, document deleted...); see onError.
 */
export type SaveStatus = 'connecting' | 'saving' | 'saved' | 'reconnecting' | 'offline' | 'error'

/** Your role on the document, as the server announces it. Viewers can read and be seen, not edit. */
export type DocumentRole = 'owner' | 'editor' | 'viewer'

/**
 * A token for the collaboration server, or a function that fetches one. The function runs on every
 * (re)connect, so short-lived tokens are renewed without losing edits; if it throws, the editor shows
 * the error's message and stops connecting.
 */
export type CollaborationToken = string | (() => Promise<string>)

/** A way out of a document the editor can no longer show, e.g. back to the host's list of documents. */
export interface EditorExit {
  href: string
  label: string
}

export interface InkwellEditorProps {
  /** Collaboration WebSocket URL, e.g. ws://localhost:3000/collab */
  url: string
  /** Hocuspocus document name, which is the document id. */
  documentId: string
  user: InkwellUser
  /** Sent in the Hocuspocus auth message. Defaults to ''. */
  token?: CollaborationToken
  /** Current title, shown editable in place at the top. */
  title?: string
  /**
   * Called when the writer commits a changed, non-empty title (blur or Enter).
   * Without it the title is read-only. A rejected promise reverts the title and
   * reports the error through onError.
   */
  onRename?: (title: string) => Promise<void> | void
  /**
   * Called whenever the shown title changes: renames by others (live), your own
   * commits, and reverts after a failed onRename. Lets the host keep e.g.
   * document.title in sync.
   */
  onTitleChange?: (title: string) => void
  /** Called when the status changes, or while `reconnecting` or `offline` the number of unsaved changes. */
  onStatusChange?: (status: SaveStatus, unsaved: number) => void
  /** Called when the server changes your role while you are connected (the editor follows by itself). */
  onRoleChange?: (role: DocumentRole) => void
  onError?: (message: string) => void
  /**
   * Keep a copy of the document in this browser's IndexedDB (default true), so that edits made
   * offline survive a reload or a closed tab and reach the server when the connection returns, and a
   * document opened here before can be read and edited offline. Turn it off on shared computers.
   */
  offline?: boolean
  /**
   * Light or dark colours. 'system' (the default) follows the reader's prefers-color-scheme; a host
   * with its own theme setting passes the reader's choice.
   */
  theme?: 'system' | 'light' | 'dark'
  /**
   * An HTTP(S) URL that answers 2xx while the collaboration server is up. It is fetched every 1-2 s
   * only while disconnected, and once it answers again after not answering, the editor reconnects at
   * once instead of waiting out its backoff. Defaults to /healthz on the socket URL's host (what the
   * Inkwell server answers); the page's Content-Security-Policy must allow it in connect-src. null
   * turns the probe off.
   */
  healthUrl?: string | null
  /**
   * Offered on the overlay shown over the document when the editor stops for good (access removed,
   * document deleted). Without it the overlay only says what happened.
   */
  exit?: EditorExit
  className?: string
}
