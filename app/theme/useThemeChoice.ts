'use client'

import { useSyncExternalStore } from 'react'
import type { ThemeChoice } from './theme'

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange)
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] })
  return () => observer.disconnect()
}

function current(): ThemeChoice {
  const attribute = document.documentElement.dataset.theme
  return attribute === 'light' || attribute === 'dark' ? attribute : 'system'
}

/**
 * The theme <html data-theme> shows, kept up to date when Settings changes it, for components that
 * need it as a value (the editor takes it as a prop so that embedders can set it without our CSS).
 */
export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribe, current, () => 'system')
}
