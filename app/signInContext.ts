import { services } from '../server/services'

/**
 * What the sign-in and sign-up pages say above the form: a fresh instance explains itself and offers
 * the admin account, and someone sent to sign in by a share or invitation link sees what they were
 * invited to. Server components only.
 */
export interface SignInContext {
  /** No account exists yet: the one made now becomes the instance's admin. */
  firstAccount: boolean
  /** The document a share or invitation link in `next` leads to; shown only for links that work. */
  documentTitle?: string
  /** `next` is a document page: the visitor was sent here from it (its title is not told before access is known). */
  toDocument: boolean
}

const JOIN_PATH = /^\/join\/([A-Za-z0-9_-]+)$/
const INVITE_PATH = /^\/invite\/([A-Za-z0-9_-]+)$/

export async function signInContext(next: string): Promise<SignInContext> {
  const { accounts, sharing } = services()
  const firstAccount = (await accounts.userCount()) === 0
  const toDocument = next.startsWith('/d/')
  // The holder of a working link may open the document anyway once signed in, so its title tells them nothing new.
  const joinToken = JOIN_PATH.exec(next)?.[1]
  if (joinToken) return { firstAccount, toDocument, documentTitle: (await sharing.describeLink(joinToken))?.documentTitle }
  const inviteToken = INVITE_PATH.exec(next)?.[1]
  if (inviteToken) {
    const invitation = await sharing.describeInvitation(inviteToken)
    return { firstAccount, toDocument, documentTitle: invitation?.state === 'pending' ? invitation.documentTitle : undefined }
  }
  return { firstAccount, toDocument }
}
