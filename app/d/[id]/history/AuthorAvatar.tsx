import { initials, readableTextColor } from '../../../../editor/colors'
import type { DiffAuthor } from './diff-marks'

/** A coloured circle with the author's initials; the full name for pointers and screen readers. */
export function AuthorAvatar({ author }: { author: DiffAuthor }) {
  return (
    <span
      className="history-avatar"
      role="img"
      title={author.name}
      aria-label={author.name}
      style={{ background: author.color, color: readableTextColor(author.color) }}
    >
      {initials(author.name)}
    </span>
  )
}
