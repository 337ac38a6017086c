'use client'

import { useEffect, useId, useRef, useState, type ReactNode } from 'react'

/**
 * The header's navigation and account controls. Wide screens show them in the bar; narrow ones
 * (see .app-header__panel in globals.css) fold them behind a Menu button, so nothing sticks out
 * of a phone's screen.
 */
export function HeaderMenu({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false)
  const panelId = useId()
  const toggleRef = useRef<HTMLButtonElement>(null)
  const panelRef = useRef<HTMLDivElement>(null)

  useEffect(() => {
    if (!open) return
    panelRef.current?.querySelector<HTMLElement>('a[href], button:not(:disabled)')?.focus()
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      setOpen(false)
      toggleRef.current?.focus()
    }
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node
      if (!panelRef.current?.contains(target) && !toggleRef.current?.contains(target)) setOpen(false)
    }
    document.addEventListener('keydown', onKeyDown)
    document.addEventListener('pointerdown', onPointerDown)
    return () => {
      document.removeEventListener('keydown', onKeyDown)
      document.removeEventListener('pointerdown', onPointerDown)
    }
  }, [open])

  return (
    <>
      <button
        ref={toggleRef}
        type="button"
        className="button app-header__toggle"
        data-testid="header-menu-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(was => !was)}
      >
        <span className="app-header__toggle-icon" aria-hidden="true" />
        Menu
      </button>
      <div
        ref={panelRef}
        id={panelId}
        className="app-header__panel"
        data-open={open || undefined}
        data-testid="header-menu"
        // Following a link leaves the page's menu state behind; close it so it is shut on arrival.
        onClick={event => {
          if ((event.target as HTMLElement).closest('a')) setOpen(false)
        }}
      >
        {children}
      </div>
    </>
  )
}
