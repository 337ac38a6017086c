import type { HocuspocusProvider } from '@hocuspocus/provider'
import { useEffect, useState } from 'react'
import { initials, isHexColor, readableTextColor } from './colors'

interface Writer {
  clientId: number
  name: string
  color: string
  isSelf: boolean
}

function readWriters(provider: HocuspocusProvider): Writer[] {
  const awareness = provider.awareness
  if (!awareness) return []
  const writers: Writer[] = []
  awareness.getStates().forEach((state, clientId) => {
    const user = state?.user as { name?: unknown; color?: unknown } | undefined
    if (!user || typeof user.name !== 'string') return
    writers.push({
      clientId,
      name: user.name,
      color: isHexColor(user.color) ? user.color : '#8b8f98',
      isSelf: clientId === awareness.clientID,
    })
  })
  // Yourself first, then everyone else in a stable order.
  return writers.sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.clientId - b.clientId)
}

function sameWriters(a: Writer[], b: Writer[]): boolean {
  return (
    a.length === b.length &&
    a.every((w, i) => w.clientId === b[i].clientId && w.name === b[i].name && w.color === b[i].color)
  )
}

function useWriters(provider: HocuspocusProvider | null): Writer[] {
  const [writers, setWriters] = useState<Writer[]>([])

  useEffect(() => {
    const awareness = provider?.awareness
    if (!provider || !awareness) {
      setWriters([])
      return
    }
    const refresh = () => {
      const next = readWriters(provider)
      setWriters(prev => (sameWriters(prev, next) ? prev : next))
    }
    refresh()
    // 'change' fires only when a state's content changes, unlike the periodic 'update'.
    awareness.on('change', refresh)
    return () => awareness.off('change', refresh)
  }, [provider])

  return writers
}

export function Presence({ provider }: { provider: HocuspocusProvider | null }) {
  const writers = useWriters(provider)
  const names = writers.map(w => (w.isSelf ? `${w.name} (you)` : w.name))

  return (
    <div
      className="inkwell-presence"
      data-testid="presence"
      role="group"
      aria-label={writers.length ? `Editing now: ${names.join(', ')}` : 'Nobody else is here'}
    >
      {writers.map((writer, i) => (
        <span
          key={writer.clientId}
          className={writer.isSelf ? 'inkwell-avatar inkwell-avatar--self' : 'inkwell-avatar'}
          data-testid="avatar"
          title={names[i]}
          style={{ backgroundColor: writer.color, color: readableTextColor(writer.color) }}
        >
          {initials(writer.name)}
        </span>
      ))}
    </div>
  )
}
