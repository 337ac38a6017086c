'use client'

import { useCallback, useEffect, useRef, useState } from 'react'
import { messageOf } from '../../apiRequest'
import type { Role } from '../../documentsApi'
import { Modal } from '../../Modal'
import { CopyButton } from '../../CopyButton'
import { ROLE_LABELS } from '../../RoleBadge'
import {
  cancelInvitation,
  changeMemberRole,
  createShareLink,
  getSharing,
  removeMember,
  renewInvitationLink,
  revokeShareLink,
  shareWithEmail,
  type IssuedInvitation,
  type LinkRole,
  type Sharing,
} from '../../sharingApi'
import { MemberList } from './MemberList'
import { ShareForm } from './ShareForm'
import { ShareLinks } from './ShareLinks'
import { ErrorBanner } from '../../ErrorBanner'

interface ShareDialogProps {
  documentId: string
  title: string
  /** Your account id, to mark yourself in the list. */
  selfId: string
  /** Owners change who has access; everyone else only sees it. */
  canManage: boolean
  onClose: () => void
}

function joinersByLink(sharing: Sharing): Map<string, number> {
  const counts = new Map<string, number>()
  for (const member of sharing.members) for (const linkId of member.joinedThrough ?? []) counts.set(linkId, (counts.get(linkId) ?? 0) + 1)
  return counts
}

export function ShareDialog({ documentId, title, selfId, canManage, onClose }: ShareDialogProps) {
  const [sharing, setSharing] = useState<Sharing | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // An invitation's one-time link is only ever shown here, right after it was issued.
  const [issued, setIssued] = useState<IssuedInvitation | null>(null)

  // Reloads can overlap (a change finishing while a role change arrives); only the latest counts.
  const latestReload = useRef(0)
  const reload = useCallback(async () => {
    const ticket = ++latestReload.current
    try {
      const answer = await getSharing(documentId)
      if (ticket === latestReload.current) setSharing(answer)
    } catch (e) {
      if (ticket === latestReload.current) setError(`Could not load who has access: ${messageOf(e)}`)
    }
  }, [documentId])

  useEffect(() => {
    void reload()
    // Becoming or ceasing to be an owner changes what the server lists (links are for owners only).
  }, [reload, canManage])

  /** Runs one change, then shows the server's list: others may be changing it at the same time. */
  const change = async (run: () => Promise<string | void>): Promise<boolean> => {
    setBusy(true)
    setError(null)
    setNotice(null)
    setIssued(null)
    try {
      const done = await run()
      if (done) setNotice(done)
      return true
    } catch (e) {
      setError(messageOf(e))
      return false
    } finally {
      await reload()
      setBusy(false)
    }
  }

  const share = (email: string, role: Role) =>
    change(async () => {
      const answer = await shareWithEmail(documentId, email, role)
      const as = ROLE_LABELS[role].toLowerCase()
      if ('member' in answer) return `${answer.member.name || answer.member.email} can now open this document as ${as}.`
      setIssued(answer.invitation)
    })

  const renewLink = (email: string) =>
    change(async () => {
      setIssued((await renewInvitationLink(documentId, email)).invitation)
    })

  return (
    <Modal
      title={canManage ? `Share “${title}”` : `Who has access to “${title}”`}
      onClose={onClose}
      testId="share-dialog"
      className="dialog--wide share-dialog"
    >
      <ErrorBanner message={error} testId="share-error" onDismiss={() => setError(null)} />
      {notice && (
        <div className="banner banner--info" role="status" data-testid="share-notice">
          {notice}
        </div>
      )}

      {issued && <InvitationLink invitation={issued} />}

      {canManage && <ShareForm busy={busy} onShare={share} />}

      {sharing === null ? (
        <p className="share-dialog__loading" aria-busy="true">
          Loading…
        </p>
      ) : (
        <>
          <MemberList
            sharing={sharing}
            selfId={selfId}
            canManage={canManage}
            busy={busy}
            onRoleChange={(userId, role) => void change(() => changeMemberRole(documentId, userId, role).then(() => {}))}
            onRemove={userId => void change(() => removeMember(documentId, userId))}
            onCancelInvitation={email => void change(() => cancelInvitation(documentId, email))}
            onRenewInvitation={email => void renewLink(email)}
          />
          {canManage && (
            <ShareLinks
              links={sharing.links}
              joiners={joinersByLink(sharing)}
              busy={busy}
              onCreate={(role: LinkRole) => void change(() => createShareLink(documentId, role).then(() => {}))}
              onRevoke={linkId =>
                void change(async () => {
                  await revokeShareLink(documentId, linkId)
                  return 'Link revoked. Everyone who joined through it has lost access.'
                })
              }
            />
          )}
        </>
      )}

      <div className="dialog__actions">
        <button type="button" className="button" data-testid="share-close" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  )
}

/** The invitation's link, once: only whoever opens it gets the role, so it goes to the invitee alone. */
function InvitationLink({ invitation }: { invitation: IssuedInvitation }) {
  const as = ROLE_LABELS[invitation.role].toLowerCase()
  return (
    <div className="banner banner--info share-invitation" role="status" data-testid="invitation-link" data-copy-scope>
      <span>
        {invitation.emailed
          ? `Invited ${invitation.email} as ${as}: the link below was emailed to them. It works once, for 14 days.`
          : `Invited ${invitation.email} as ${as}. This instance does not send email: send them this link yourself. It works once, for 14 days, and is shown only now.`}
      </span>
      <code className="share-row__url" data-testid="invitation-url">
        {invitation.url}
      </code>
      <CopyButton text={invitation.url} testId="invitation-copy" label="Copy link" />
    </div>
  )
}
