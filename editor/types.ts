export interface InkwellUser {
  name: string
  /** A 6-digit CSS hex colour such as '#e0457b' (the caret renderer ignores other formats). */
  color: string
}

export type SaveStatus = 'connecting' | 'saving' | 'saved' | 'offline' | 'error'

export interface InkwellEditorProps {
  /** Collaboration WebSocket URL, e.g. ws://localhost:3000/collab */
  url: string
  /** Hocuspocus document name, which is the document id. */
  documentId: string
  user: InkwellUser
  /** Sent in the Hocuspocus auth message. Defaults to ''. */
  token?: string
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
  onStatusChange?: (status: SaveStatus) => void
  onError?: (message: string) => void
  className?: string
}
