'use client'

import { useEffect, useRef, useState } from 'react'

interface CopyButtonProps {
  text: string
  testId: string
  label: string
}

/**
 * Copies to the clipboard. Where the browser refuses (plain http on another machine, denied
 * permission), it selects the text shown next to it instead, ready for Ctrl+C.
 */
export function CopyButton({ text, testId, label }: CopyButtonProps) {
  const ref = useRef<HTMLButtonElement>(null)
  const [state, setState] = useState<'idle' | 'copied' | 'selected'>('idle')
  const reset = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  useEffect(() => () => clearTimeout(reset.current), [])

  const copy = async () => {
    clearTimeout(reset.current)
    try {
      await navigator.clipboard.writeText(text)
      setState('copied')
    } catch {
      selectNeighbourText(ref.current, text)
      setState('selected')
    }
    reset.current = setTimeout(() => setState('idle'), 2500)
  }

  return (
    <button
      ref={ref}
      type="button"
      className="button button--quiet"
      data-testid={testId}
      data-state={state}
      aria-live="polite"
      onClick={() => void copy()}
    >
      {state === 'copied' ? 'Copied' : state === 'selected' ? 'Text selected' : label}
    </button>
  )
}

/** Selects the element in the same row whose text is `text`. */
function selectNeighbourText(button: HTMLElement | null, text: string) {
  const row = button?.closest('li, [data-copy-scope]')
  const target = Array.from(row?.querySelectorAll<HTMLElement>('code, pre, input') ?? []).find(el =>
    el instanceof HTMLInputElement ? el.value === text : el.textContent === text,
  )
  if (!target) return
  if (target instanceof HTMLInputElement) {
    target.select()
    return
  }
  const selection = window.getSelection()
  selection?.selectAllChildren(target)
}
