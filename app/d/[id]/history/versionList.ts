import type { JSONContent } from '@tiptap/core'
import { DIFF_MARK_NAMES, type DiffMarkName } from './diff-marks'
import type { Version, VersionKind } from './historyApi'

const KIND_LABELS: Record<VersionKind, string> = {
  auto: 'Automatic',
  named: 'Named version',
  'before-restore': 'Before restore',
  'before-import': 'Before import',
}

/** Its name if someone gave it one, else what made it. */
export function versionLabel(version: Version): string {
  return version.name?.trim() || KIND_LABELS[version.kind]
}

export function versionTime(version: Version): string {
  return new Date(version.createdAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
}

export interface DayGroup {
  label: string
  versions: Version[]
}

/** "Today", "Yesterday", then the date, in the reader's time zone; keeps the newest-first order. */
export function groupByDay(versions: Version[], now: Date): DayGroup[] {
  const dayKey = (date: Date) => `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`
  const today = dayKey(now)
  const yesterday = dayKey(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1))
  const groups: DayGroup[] = []
  let currentKey: string | null = null
  for (const version of versions) {
    const created = new Date(version.createdAt)
    const key = dayKey(created)
    if (key !== currentKey) {
      currentKey = key
      const label =
        key === today
          ? 'Today'
          : key === yesterday
            ? 'Yesterday'
            : created.toLocaleDateString(undefined, {
                weekday: 'long',
                day: 'numeric',
                month: 'long',
                year: created.getFullYear() === now.getFullYear() ? undefined : 'numeric',
              })
      groups.push({ label, versions: [] })
    }
    groups[groups.length - 1].versions.push(version)
  }
  return groups
}

export type ChangeCounts = Record<DiffMarkName, number>

/**
 * Changes per author in a diff's content, counted as the server counts them: a run of text changed
 * the same way by one author is one change, however many text nodes (bold, links) it spans.
 */
export function changesByAuthor(content: JSONContent): Map<string | null, ChangeCounts> {
  const counts = new Map<string | null, ChangeCounts>()
  const visit = (node: JSONContent) => {
    let previous: string | null = null
    for (const child of node.content ?? []) {
      if (child.type !== 'text') {
        previous = null
        visit(child)
        continue
      }
      const mark = child.marks?.find(m => (DIFF_MARK_NAMES as readonly string[]).includes(m.type))
      if (!mark) {
        previous = null
        continue
      }
      const author = typeof mark.attrs?.author === 'string' ? mark.attrs.author : null
      const key = `${mark.type}:${author}`
      if (key === previous) continue
      previous = key
      const forAuthor = counts.get(author) ?? { inserted: 0, deleted: 0, formatted: 0 }
      forAuthor[mark.type as DiffMarkName]++
      counts.set(author, forAuthor)
    }
  }
  visit(content)
  return counts
}

/** "2 additions, 1 deletion"; formatting only when there is some. */
export function describeCounts(counts: ChangeCounts): string {
  const parts: string[] = []
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
  if (counts.inserted) parts.push(plural(counts.inserted, 'addition', 'additions'))
  if (counts.deleted) parts.push(plural(counts.deleted, 'deletion', 'deletions'))
  if (counts.formatted) parts.push(plural(counts.formatted, 'formatting change', 'formatting changes'))
  return parts.join(', ') || 'no changes'
}
