'use client'

import { useEffect, useState } from 'react'
import { CopyButton } from '../../CopyButton'
import { formatFullTime } from '../../relativeTime'
import { RoleBadge } from '../../RoleBadge'
import type { LinkRole, ShareLink } from '../../sharingApi'
import { RoleSelect } from './RoleSelect'

interface ShareLinksProps {
  links: ShareLink[]
  /** How many people came in through each link (by link id): revoking it removes them all. */
  joiners: Map<string, number>
  busy: boolean
  onCreate: (role: LinkRole) => void
  onRevoke: (linkId: string) => void
}

const LINK_ROLES = ['viewer', 'editor'] as const

export function ShareLinks({ links, joiners, busy, onCreate, onRevoke }: ShareLinksProps) {
  const [role, setRole] = useState<LinkRole>('viewer')
  // The server gives paths; people need the whole address, which only the browser knows for sure.
  const [origin, setOrigin] = useState('')
  useEffect(() => setOrigin(window.location.origin), [])

  return (
    <section className="share-section" aria-labelledby="share-links-heading">
      <h3 id="share-links-heading" className="share-section__title">
        Links
      </h3>
      <p className="field__hint share-section__hint">
        Anyone with an account who opens a link gets its role, and is listed above. Revoking a link removes everyone who joined through it; removing one person keeps them out of every link.
      </p>
      <div className="share-form__row">
        <RoleSelect value={role} onChange={setRole} roles={LINK_ROLES} testId="link-role" label="Role for people joining by link" />
        <button type="button" className="button" data-testid="link-create" disabled={busy} onClick={() => onCreate(role)}>
          Create link
        </button>
      </div>
      {links.length > 0 && (
        <ul className="share-list">
          {links.map(link => {
            const url = `${origin}${link.url}`
            const joined = joiners.get(link.id) ?? 0
            return (
              <li key={link.id} className="share-row share-row--link" data-testid="link-row" data-link-id={link.id}>
                <RoleBadge role={link.role} testId="link-role-label" />
                <code className="share-row__url" data-testid="link-url" title={`Created ${formatFullTime(link.createdAt)}`}>
                  {url}
                </code>
                <span className="share-row__joined" data-testid="link-joined">
                  {joined === 0 ? 'nobody joined yet' : joined === 1 ? '1 person joined' : `${joined} people joined`}
                </span>
                <span className="share-row__actions">
                  <CopyButton text={url} testId="link-copy" label="Copy link" />
                  <button
                    type="button"
                    className="button button--quiet button--danger"
                    data-testid="link-revoke"
                    disabled={busy}
                    aria-label={`Revoke the ${link.role} link …${link.url.slice(-4)}${joined ? `, removing the ${joined === 1 ? 'person' : `${joined} people`} who joined through it` : ''}`}
                    onClick={() => onRevoke(link.id)}
                  >
                    Revoke
                  </button>
                </span>
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}
