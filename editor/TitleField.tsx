import { useRef, useState, type KeyboardEvent } from 'react'

interface TitleFieldProps {
  value: string
  /** Absent: the title is read-only. */
  onCommit?: (title: string) => void
}

/**
 * While the writer edits, their draft wins over renames arriving from others;
 * once they leave the field it shows the shared title again.
 */
export function TitleField({ value, onCommit }: TitleFieldProps) {
  const [draft, setDraft] = useState(value)
  const [editing, setEditing] = useState(false)
  const cancelled = useRef(false)
  const readOnly = !onCommit

  const commit = () => {
    setEditing(false)
    if (cancelled.current) {
      cancelled.current = false
      return
    }
    const next = draft.trim()
    if (next && next !== value.trim()) onCommit?.(next)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return
    if (event.key === 'Enter') {
      event.preventDefault()
      event.currentTarget.blur()
    } else if (event.key === 'Escape') {
      event.preventDefault()
      cancelled.current = true
      event.currentTarget.blur()
    }
  }

  return (
    <input
      className="inkwell-title"
      data-testid="doc-title"
      aria-label="Document title"
      placeholder="Untitled document"
      spellCheck={false}
      readOnly={readOnly}
      value={editing ? draft : value}
      onFocus={() => {
        if (readOnly) return
        setDraft(value)
        setEditing(true)
      }}
      onChange={event => setDraft(event.target.value)}
      onKeyDown={onKeyDown}
      onBlur={() => {
        if (!readOnly) commit()
      }}
    />
  )
}
