/**
 * Better Auth's answers in words a person understands. Its validator reports problems as
 * "[body.email] Invalid email address", naming its own request fields; people should never see that.
 */

interface AuthError {
  code?: string
  message?: string
  status?: number
  statusText?: string
}

const BY_CODE: Record<string, string> = {
  INVALID_EMAIL: 'Enter an email address such as name@example.com.',
  INVALID_EMAIL_OR_PASSWORD: 'That email and password do not match an account. Check both and try again.',
  INVALID_PASSWORD: 'That password is not right. Check it and try again.',
  PASSWORD_TOO_SHORT: 'Choose a longer password: at least 8 characters.',
  PASSWORD_TOO_LONG: 'Choose a shorter password: at most 128 characters.',
  USER_ALREADY_EXISTS: 'An account with this email already exists. Sign in instead.',
  INVALID_TOKEN: 'This link does not work any more. Ask for a new one.',
  SESSION_EXPIRED: 'You were signed out. Sign in again and retry.',
}

/** What to say about a field the validator refused, by the field's name in its path. */
const BY_FIELD: Record<string, string> = {
  email: BY_CODE.INVALID_EMAIL,
  password: 'Check the password: it must be 8 to 128 characters.',
  newPassword: 'Check the new password: it must be 8 to 128 characters.',
  name: 'Check your name: it must be 1 to 80 characters.',
}

/** "[body.email] Invalid email address; [body.x] Too long" → "Enter an email address such as…. Too long." */
function withoutFieldPaths(message: string): string {
  return message
    .split(';')
    .map(part => {
      const field = /^\s*\[(?:body|query)\.([A-Za-z]+)[^\]]*\]/.exec(part)?.[1]
      return (field && BY_FIELD[field]) || part.replace(/^\s*\[[^\]]*\]\s*/, '').trim()
    })
    .filter(Boolean)
    .map(part => {
      const sentence = part[0].toUpperCase() + part.slice(1)
      return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`
    })
    .join(' ')
}

export function authErrorMessage(error: AuthError): string {
  if (error.code && BY_CODE[error.code]) return BY_CODE[error.code]
  if (error.status === 429) return 'Too many attempts. Wait a minute and try again.'
  if (error.message) return withoutFieldPaths(error.message)
  return error.statusText || `The server answered ${error.status ?? 'with an error'}. Try again.`
}

/** Loose on purpose: the server has the last word; this catches typos before a round trip. */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim())
}
