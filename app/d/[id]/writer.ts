import type { InkwellUser } from '../../../editor'

export const WRITER_STORAGE_KEY = 'inkwell:user'

/** Mid-tone colours: distinct from each other, legible as caret labels and avatars. */
const PALETTE = [
  '#e0457b',
  '#2f6fdb',
  '#16a37f',
  '#d97a06',
  '#8b5cf6',
  '#dc3d3d',
  '#0e9bb5',
  '#5b63d3',
  '#c2417e',
  '#4d8f1f',
  '#b4621b',
  '#7c4dbd',
]

const isColor = (value: unknown): value is string => typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value)

export function randomWriterColor(): string {
  return PALETTE[Math.floor(Math.random() * PALETTE.length)]
}

/** The writer stored in this browser, or null if they have not picked a name yet. */
export function loadWriter(): InkwellUser | null {
  let parsed: unknown
  try {
    const raw = window.localStorage.getItem(WRITER_STORAGE_KEY)
    if (!raw) return null
    parsed = JSON.parse(raw)
  } catch {
    return null
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const { name, color } = parsed as { name?: unknown; color?: unknown }
  if (typeof name !== 'string' || !name.trim()) return null
  if (isColor(color)) return { name: name.trim(), color }
  // Repair a missing colour once, so it stays stable from now on.
  return saveWriter(name)
}

/** Keeps an existing colour: a writer's colour must not change when they rename themselves. */
export function saveWriter(name: string, previous?: InkwellUser | null): InkwellUser {
  const writer: InkwellUser = { name: name.trim(), color: previous && isColor(previous.color) ? previous.color : randomWriterColor() }
  try {
    window.localStorage.setItem(WRITER_STORAGE_KEY, JSON.stringify(writer))
  } catch {
    // Private mode or full storage: the name still works for this visit.
  }
  return writer
}
