'use client'

import dynamic from 'next/dynamic'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useCallback, useEffect, useState, type ReactNode } from 'react'
import type { InkwellUser, SaveStatus } from '../../../editor'
import { signInPath } from '../../apiRequest'
import { ApiError, canEdit, getDocument, renameDocument, type Role } from '../../documentsApi'
import { RoleBadge } from '../../RoleBadge'
import { fetchCollabToken } from './collabToken'
import { HistoryPanel } from './history/HistoryPanel'
import { DownloadMenu } from './DownloadMenu'
import { ReplaceContent } from './ReplaceContent'
import { ShareDialog } from './ShareDialog'
import { useThemeChoice } from '../../theme/useThemeChoice'

type Loaded = { state: 'loading' } | { state: 'ready' } | { state: 'missing' } | { state: 'failed'; message: string }

const UNTITLED = 'Untitled document'

/** Offered over the document once the editor stops for good (access removed, document deleted). */
const BACK_TO_DOCUMENTS = { href: '/', label: 'Back to all documents' }

const ROLE_SENTENCES: Record<Role, string> = {
  owner: 'You own this document.',
  editor: 'You can edit this document.',
  viewer: 'You can view this document.',
}

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

interface DocumentPageProps {
  id: string
  /** The signed-in account; the server shows this same name and colour to the others. */
  user: InkwellUser & { id: string }
}

export function DocumentPage({ id, user }: DocumentPageProps) {
  const router = useRouter()
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' })
  const [socketUrl, setSocketUrl] = useState<string | null>(null)
  const [title, setTitle] = useState('')
  const [role, setRole] = useState<Role | null>(null)
  // The editor stopped for good (access removed, document deleted): sharing no longer applies.
  const [stopped, setStopped] = useState(false)
  const [sharing, setSharing] = useState(false)
  const theme = useThemeChoice()

  useEffect(() => {
    setSocketUrl(collaborationUrl())
  }, [])

  const load = useCallback(async () => {
    setLoaded({ state: 'loading' })
    try {
      const document = await getDocument(id)
      setTitle(document.title)
      setRole(document.role)
      setLoaded({ state: 'ready' })
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) router.replace(signInPath(`/d/${encodeURIComponent(id)}`))
      else if (error instanceof ApiError && error.status === 404) setLoaded({ state: 'missing' })
      else setLoaded({ state: 'failed', message: error instanceof Error ? error.message : String(error) })
    }
  }, [id, router])

  useEffect(() => {
    void load()
  }, [load])

  useEffect(() => {
    if (loaded.state === 'ready') document.title = title || UNTITLED
    else if (loaded.state === 'missing') document.title = 'Document not found'
  }, [loaded.state, title])

  // Asked for on every (re)connect; the answer also carries the role, which may have changed
  // while this tab was offline and missed the live message.
  const token = useCallback(async () => {
    const answer = await fetchCollabToken(id)
    setRole(answer.role)
    return answer.token
  }, [id])

  const rename = useCallback(
    async (next: string) => {
      // Throwing makes the editor revert the title and show the message.
      const updated = await renameDocument(id, next)
      setTitle(updated.title)
    },
    [id],
  )

  const onStatusChange = useCallback((status: SaveStatus) => {
    if (status === 'error') {
      setStopped(true)
      setSharing(false)
    }
  }, [])

  let body: ReactNode
  if (loaded.state === 'missing') {
    body = (
      <div className="doc-page__message" data-testid="not-found">
        <h1>Document not found</h1>
        <p>It may have been deleted, the link is wrong, or it has not been shared with you.</p>
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
  } else if (loaded.state === 'ready' && role && socketUrl) {
    body = (
      <>
        {!stopped && (
          <div className="doc-page__bar">
            <span className="doc-page__role">
              <RoleBadge role={role} testId="my-role" />
              <span>{ROLE_SENTENCES[role]}</span>
            </span>
            <HistoryPanel documentId={id} role={role} />
            <DownloadMenu documentId={id} />
            {canEdit(role) && <ReplaceContent documentId={id} />}
            <button
              type="button"
              className={role === 'owner' ? 'button button--primary' : 'button'}
              data-testid={role === 'owner' ? 'share-button' : 'people-button'}
              onClick={() => setSharing(true)}
            >
              {role === 'owner' ? 'Share' : 'People'}
            </button>
          </div>
        )}
        <InkwellEditor
          url={socketUrl}
          documentId={id}
          user={user}
          token={token}
          // The server names a new document "Untitled document"; the title field shows that as its
          // placeholder, so that typing there gives exactly what was typed.
          title={title === UNTITLED ? '' : title}
          onRename={canEdit(role) ? rename : undefined}
          onTitleChange={setTitle}
          onRoleChange={setRole}
          onStatusChange={onStatusChange}
          theme={theme}
          exit={BACK_TO_DOCUMENTS}
        />
      </>
    )
  } else {
    body = (
      <p className="doc-page__message" aria-busy="true">
        Loading document…
      </p>
    )
  }

  return (
    <main className="doc-page">
      {body}
      {sharing && role && (
        <ShareDialog
          documentId={id}
          title={title || UNTITLED}
          selfId={user.id}
          canManage={role === 'owner'}
          onClose={() => setSharing(false)}
        />
      )}
    </main>
  )
}
