'use client'

import { initials } from '../../../editor/colors'
import type { Role } from '../../documentsApi'
import { RoleBadge } from '../../RoleBadge'
import type { Sharing } from '../../sharingApi'
import { RoleSelect } from './RoleSelect'

interface MemberListProps {
  sharing: Sharing
  selfId: string
  canManage: boolean
  busy: boolean
  onRoleChange: (userId: string, role: Role) => void
  onRemove: (userId: string) => void
  onCancelInvitation: (email: string) => void
  onRenewInvitation: (email: string) => void
}

/** "the viewer link …k3Qx": links have no names, so the end of each address tells them apart, as in the Links list below. */
function linkName(sharing: Sharing, linkId: string): string {
  const link = sharing.links.find(l => l.id === linkId)
  return link ? `the ${link.role} link …${link.url.slice(-4)}` : 'a link'
}

const LAST_OWNER = 'A document needs at least one owner: make someone else an owner first.'

export function MemberList({ sharing, selfId, canManage, busy, onRoleChange, onRemove, onCancelInvitation, onRenewInvitation }: MemberListProps) {
  const owners = sharing.members.filter(m => m.role === 'owner').length

  return (
    <section className="share-section" aria-labelledby="share-people-heading">
      <h3 id="share-people-heading" className="share-section__title">
        People with access
      </h3>
      <ul className="share-list" data-testid="member-list">
        {sharing.members.map(member => {
          const isSelf = member.userId === selfId
          const lastOwner = member.role === 'owner' && owners <= 1
          const name = member.name || member.email || 'Someone'
          const throughLinks = member.joinedThrough?.length ?? 0
          return (
            <li key={member.userId} className="share-row" data-testid="member-row" data-email={member.email} data-role={member.role} data-joined-by-link={throughLinks > 0 || undefined}>
              <span className="share-row__avatar" aria-hidden="true">
                {initials(name)}
              </span>
              <span className="share-row__who">
                <span className="share-row__name">
                  {name}
                  {isSelf && ' (you)'}
                </span>
                {/* Email addresses and how someone came in are for owners' eyes only; the server sends them to owners alone. */}
                {(member.email || throughLinks > 0) && (
                  <span className="share-row__email">
                    {member.email}
                    {member.email && throughLinks > 0 && ' · '}
                    {throughLinks > 0 && (
                      <span data-testid="member-joined-through">joined through {member.joinedThrough!.map(id => linkName(sharing, id)).join(' and ')}</span>
                    )}
                  </span>
                )}
              </span>
              {canManage ? (
                <span className="share-row__actions">
                  <RoleSelect
                    value={member.role}
                    onChange={role => onRoleChange(member.userId, role)}
                    testId="member-role"
                    label={`Role of ${name}`}
                    disabled={busy || lastOwner}
                    title={lastOwner ? LAST_OWNER : undefined}
                  />
                  <button
                    type="button"
                    className="button button--quiet button--danger"
                    data-testid="member-remove"
                    aria-label={`Remove ${name}`}
                    disabled={busy || lastOwner}
                    title={lastOwner ? LAST_OWNER : undefined}
                    onClick={() => onRemove(member.userId)}
                  >
                    Remove
                  </button>
                </span>
              ) : (
                <RoleBadge role={member.role} testId="member-role-label" />
              )}
            </li>
          )
        })}
        {sharing.invitations.map(invitation => (
          <li key={invitation.email} className="share-row share-row--pending" data-testid="invitation-row" data-email={invitation.email}>
            <span className="share-row__avatar" aria-hidden="true">
              @
            </span>
            <span className="share-row__who">
              <span className="share-row__name">{invitation.email}</span>
              <span className="share-row__email">
                {invitation.expired ? 'Invitation link expired: get a new one to send' : 'Invited, has not opened the link yet'}
              </span>
            </span>
            <span className="share-row__actions">
              <RoleBadge role={invitation.role} testId="invitation-role" />
              {canManage && (
                <button
                  type="button"
                  className="button button--quiet"
                  data-testid="invitation-renew"
                  aria-label={`New link for the invitation of ${invitation.email}`}
                  disabled={busy}
                  onClick={() => onRenewInvitation(invitation.email)}
                >
                  New link
                </button>
              )}
              {canManage && (
                <button
                  type="button"
                  className="button button--quiet button--danger"
                  data-testid="invitation-remove"
                  aria-label={`Remove the invitation for ${invitation.email}`}
                  disabled={busy}
                  onClick={() => onCancelInvitation(invitation.email)}
                >
                  Remove
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}
