'use client'

import dynamic from 'next/dynamic'
import Link from 'next/link'
import { useCallback, useEffect, useState, type ReactNode } from 'react'
import type { InkwellUser } from '../../../editor'
import { ApiError, getDocument, renameDocument, type DocumentSummary } from '../../documentsApi'
import { NameForm } from './NameForm'
import { loadWriter, saveWriter, WRITER_STORAGE_KEY } from './writer'

type Loaded =
  | { state: 'loading' }
  | { state: 'ready'; document: DocumentSummary }
  | { state: 'missing' }
  | { state: 'failed'; message: string }

const UNTITLED = 'Untitled document'

// Browser-only: keeps Yjs and TipTap out of server rendering, where they would only
// duplicate the server's own Yjs instance ("Yjs was already imported").
const InkwellEditor = dynamic(() => import('../../../editor').then(m => m.InkwellEditor), {
  ssr: false,
  loading: () => (
    <p className="doc-page__message" aria-busy="true">
      Loading editor…
    </p>
  ),
})

function collaborationUrl(): string {
  return `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/collab`
}

export function DocumentPage({ id }: { id: string }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' })
  // undefined until localStorage has been read (it does not exist during server rendering).
  const [writer, setWriter] = useState<InkwellUser | null | undefined>(undefined)
  const [changingName, setChangingName] = useState(false)
  const [socketUrl, setSocketUrl] = useState<string | null>(null)
  const [title, setTitle] = useState('')

  useEffect(() => {
    setWriter(loadWriter())
    setSocketUrl(collaborationUrl())
    // Follow name changes made in another tab.
    const onStorage = (event: StorageEvent) => {
      if (event.key === WRITER_STORAGE_KEY) setWriter(loadWriter())
    }
    window.addEventListener('storage', onStorage)
    return () => window.removeEventListener('storage', onStorage)
  }, [])

  const load = useCallback(async () => {
    setLoaded({ state: 'loading' })
    try {
      const document = await getDocument(id)
      setLoaded({ state: 'ready', document })
      setTitle(document.title)
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setLoaded({ state: 'missing' })
      else setLoaded({ state: 'failed', message: error instanceof Error ? error.message : String(error) })
    }
  }, [id])

  useEffect(() => {
    void load()
  }, [load])

  useEffect(() => {
    if (loaded.state === 'ready') document.title = title || UNTITLED
    else if (loaded.state === 'missing') document.title = 'Document not found'
  }, [loaded.state, title])

  const rename = useCallback(
    async (next: string) => {
      // Throwing makes the editor revert the title and show the message.
      const updated = await renameDocument(id, next)
      setTitle(updated.title)
    },
    [id],
  )

  const pickName = (name: string) => {
    setWriter(current => saveWriter(name, current))
    setChangingName(false)
  }

  let body: ReactNode
  if (loaded.state === 'loading' || writer === undefined) {
    body = (
      <p className="doc-page__message" aria-busy="true">
        Loading document…
      </p>
    )
  } else if (loaded.state === 'missing') {
    body = (
      <div className="doc-page__message" data-testid="not-found">
        <h1>Document not found</h1>
        <p>It may have been deleted, or the link is wrong.</p>
        <Link href="/" className="button button--primary">
          Back to all documents
        </Link>
      </div>
    )
  } else if (loaded.state === 'failed') {
    body = (
      <div className="doc-page__message" role="alert" data-testid="load-error">
        <h1>Could not load this document</h1>
        <p>{loaded.message}</p>
        <button type="button" className="button button--primary" onClick={() => void load()}>
          Try again
        </button>
      </div>
    )
  } else if (writer === null) {
    body = (
      <div className="doc-page__message doc-page__welcome">
        <h1>Who’s writing?</h1>
        <p>
          Pick a name to join <strong>{title || UNTITLED}</strong>.
        </p>
        <NameForm submitLabel="Start writing" onSubmit={pickName} />
      </div>
    )
  } else if (socketUrl) {
    body = (
      <InkwellEditor
        url={socketUrl}
        documentId={id}
        user={writer}
        title={title}
        onRename={rename}
        onTitleChange={setTitle}
      />
    )
  }

  return (
    <div className="app-shell">
      <header className="app-header app-header--document">
        <Link href="/" className="app-back" data-testid="home-link">
          <span aria-hidden="true">←</span> All documents
        </Link>
        {writer && !changingName && (
          <div className="app-header__writer">
            <span className="app-header__swatch" style={{ backgroundColor: writer.color }} aria-hidden="true" />
            <span>
              Writing as <strong data-testid="writer-name">{writer.name}</strong>
            </span>
            <button type="button" className="link-button" data-testid="change-name" onClick={() => setChangingName(true)}>
              Change name
            </button>
          </div>
        )}
      </header>
      {writer && changingName && (
        <div className="change-name-panel">
          <NameForm
            initialName={writer.name}
            submitLabel="Save name"
            onSubmit={pickName}
            onCancel={() => setChangingName(false)}
          />
        </div>
      )}
      <main className="doc-page">{body}</main>
    </div>
  )
}
