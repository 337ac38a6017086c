import { AuthCard } from '../AuthCard'
import type { Metadata } from 'next'
import Link from 'next/link'
import { services } from '../../server/services'
import { connection } from 'next/server'
import { ForgotPasswordForm } from './ForgotPasswordForm'

export const metadata: Metadata = { title: 'Forgot your password? · Inkwell' }

export default async function ForgotPasswordPage() {
  // Read per request (and so never prerendered): whether this server can send email.
  await connection()
  const canEmail = services().mailer.configured
  return (
    <AuthCard>
      <h1 className="auth__heading">Forgot your password?</h1>
      {canEmail ? (
        <ForgotPasswordForm />
      ) : (
        <p className="auth__text" data-testid="forgot-no-email">
          This Inkwell server cannot send email. Ask one of its admins for a password-reset link: they can make one for you on the admin
          screen.
        </p>
      )}
      <p className="auth__switch">
        <Link href="/sign-in" data-testid="back-to-sign-in">
          Back to sign in
        </Link>
      </p>
    </AuthCard>
  )
}
