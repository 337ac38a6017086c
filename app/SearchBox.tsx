'use client'

import { useRouter } from 'next/navigation'
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react'
import { ApiError, apiRequest, messageOf, signInPath } from './apiRequest'
import { formatRelativeTime } from './relativeTime'

interface SearchResult {
  id: string
  title: string
  url: string
  /** Escaped text with <mark>…</mark> around the matches (GET /api/search). */
  snippet: string
  updatedAt: string
}

// Long enough that a word typed at an ordinary pace is one request, short enough to feel live.
const DEBOUNCE_MS = 250

type SearchState =
  | { status: 'idle' }
  | { status: 'searching'; query: string; results: SearchResult[] | null }
  | { status: 'done'; query: string; results: SearchResult[] }
  | { status: 'failed'; query: string; message: string }

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&amp;': '&' }

/**
 * The server's snippet as React nodes: the marked words in <mark>, all the rest as text (React
 * escapes it), so nothing in a document can ever become markup here.
 */
export function renderSnippet(snippet: string): ReactNode[] {
  const nodes: ReactNode[] = []
  let marked = false
  snippet.split(/(<mark>|<\/mark>)/).forEach((part, index) => {
    if (part === '<mark>') marked = true
    else if (part === '</mark>') marked = false
    else if (part !== '') {
      const text = part.replace(/&lt;|&gt;|&amp;/g, entity => ENTITIES[entity])
      nodes.push(marked ? <mark key={index}>{text}</mark> : text)
    }
  })
  return nodes
}

/** The home page's search over the titles and content of every document the user can read. */
export function SearchBox() {
  const router = useRouter()
  const inputId = useId()
  const [query, setQuery] = useState('')
  const [state, setState] = useState<SearchState>({ status: 'idle' })
  const [now, setNow] = useState(() => Date.now())
  const list = useRef<HTMLUListElement>(null)

  useEffect(() => {
    const q = query.trim()
    if (q === '') {
      setState({ status: 'idle' })
      return
    }
    setState(previous => ({ status: 'searching', query: q, results: 'results' in previous ? previous.results : null }))
    const controller = new AbortController()
    const timer = setTimeout(async () => {
      try {
        const { results } = await apiRequest<{ results: SearchResult[] }>(`/api/search?q=${encodeURIComponent(q)}`, { signal: controller.signal })
        setNow(Date.now())
        setState({ status: 'done', query: q, results })
      } catch (e) {
        if (controller.signal.aborted) return
        if (e instanceof ApiError && e.status === 401) router.replace(signInPath('/'))
        else setState({ status: 'failed', query: q, message: messageOf(e) })
      }
    }, DEBOUNCE_MS)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [query, router])

  const links = () => [...(list.current?.querySelectorAll<HTMLAnchorElement>('a.search__title') ?? [])]

  const onInputKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      setQuery('')
    } else if (event.key === 'ArrowDown') {
      const first = links()[0]
      if (first) {
        event.preventDefault()
        first.focus()
      }
    }
  }

  // Up and down move between results; Escape goes back to the box, query kept.
  const onListKey = (event: KeyboardEvent<HTMLUListElement>) => {
    const all = links()
    const at = all.indexOf(document.activeElement as HTMLAnchorElement)
    if (at < 0) return
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const next = event.key === 'ArrowDown' ? at + 1 : at - 1
      if (next < 0) document.getElementById(inputId)?.focus()
      else all[Math.min(next, all.length - 1)].focus()
    } else if (event.key === 'Escape') {
      event.preventDefault()
      document.getElementById(inputId)?.focus()
    }
  }

  const results = state.status === 'done' || state.status === 'searching' ? state.results : null
  const announcement =
    state.status === 'done'
      ? state.results.length === 0
        ? 'No documents match'
        : `${state.results.length} ${state.results.length === 1 ? 'document matches' : 'documents match'}`
      : ''

  return (
    <section className="search" role="search">
      <label htmlFor={inputId} className="field__label">
        Search documents
      </label>
      <input
        id={inputId}
        className="input search__input"
        type="search"
        value={query}
        placeholder="Words in a title or in the text"
        autoComplete="off"
        spellCheck={false}
        maxLength={500}
        onChange={event => setQuery(event.target.value)}
        onKeyDown={onInputKey}
        aria-describedby={`${inputId}-status`}
      />
      <p id={`${inputId}-status`} className="search__status" aria-live="polite" data-testid="search-status">
        {state.status === 'searching' && results === null ? 'Searching…' : announcement}
      </p>
      {state.status === 'failed' && (
        <p className="search__error" role="alert">
          Search failed: {state.message}
        </p>
      )}
      {state.status === 'done' && state.results.length === 0 && (
        <p className="search__none" data-testid="search-none">
          No documents match “{state.query}”.
        </p>
      )}
      {results && results.length > 0 && (
        <ul className="search__results" ref={list} onKeyDown={onListKey} aria-busy={state.status === 'searching'} data-testid="search-results">
          {results.map(result => (
            <li key={result.id} className="search__result">
              <a className="search__title" href={result.url}>
                {result.title}
              </a>
              {result.snippet !== '' && <p className="search__snippet">{renderSnippet(result.snippet)}</p>}
              <time className="search__time" dateTime={result.updatedAt} title={new Date(result.updatedAt).toLocaleString()}>
                Edited {formatRelativeTime(result.updatedAt, now)}
              </time>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
