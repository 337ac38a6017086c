'use client'

import { useEffect, useRef, type KeyboardEvent } from 'react'

const FORMATS = [
  { format: 'markdown', label: 'Markdown (.md)' },
  { format: 'html', label: 'Web page (.html)' },
  { format: 'docx', label: 'Word (.docx)' },
  { format: 'text', label: 'Plain text (.txt)' },
  { format: 'json', label: 'JSON (.json)' },
] as const

/**
 * "Download as…": a native <details> disclosure, so it opens with Enter or Space and is announced
 * as expandable without any script; arrow keys move between the formats and Escape closes it and
 * returns focus to the button. Each item is a plain link: the browser downloads the file itself.
 */
export function DownloadMenu({ documentId }: { documentId: string }) {
  const menu = useRef<HTMLDetailsElement>(null)

  // A click anywhere else closes the menu, as menus do.
  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      if (menu.current?.open && !menu.current.contains(event.target as Node)) menu.current.open = false
    }
    document.addEventListener('pointerdown', onPointerDown)
    return () => document.removeEventListener('pointerdown', onPointerDown)
  }, [])

  const onKeyDown = (event: KeyboardEvent<HTMLDetailsElement>) => {
    const details = menu.current
    if (!details) return
    const items = Array.from(details.querySelectorAll<HTMLAnchorElement>('.download-menu__item'))
    const current = items.indexOf(document.activeElement as HTMLAnchorElement)
    if (event.key === 'Escape' && details.open) {
      event.preventDefault()
      details.open = false
      details.querySelector('summary')?.focus()
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      details.open = true
      const step = event.key === 'ArrowDown' ? 1 : -1
      const next = current < 0 ? (step === 1 ? 0 : items.length - 1) : (current + step + items.length) % items.length
      items[next]?.focus()
    } else if (event.key === 'Home' && current >= 0) {
      event.preventDefault()
      items[0]?.focus()
    } else if (event.key === 'End' && current >= 0) {
      event.preventDefault()
      items[items.length - 1]?.focus()
    }
  }

  return (
    <details className="download-menu" ref={menu} onKeyDown={onKeyDown} data-testid="download-menu">
      <summary className="button" aria-haspopup="menu">
        Download as…
      </summary>
      <ul className="download-menu__list" role="menu" aria-label="Download as">
        {FORMATS.map(({ format, label }) => (
          <li key={format} role="none">
            <a
              role="menuitem"
              className="download-menu__item"
              data-testid={`download-${format}`}
              href={`/api/documents/${encodeURIComponent(documentId)}/content?format=${format}&download=1`}
              download
              onClick={() => {
                if (menu.current) menu.current.open = false
              }}
            >
              {label}
            </a>
          </li>
        ))}
      </ul>
    </details>
  )
}
