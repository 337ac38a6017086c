import { AuthCard } from '../AuthCard'
import type { Metadata } from 'next'
import Link from 'next/link'
import { connection } from 'next/server'
import { ResetPasswordForm } from './ResetPasswordForm'

export const metadata: Metadata = { title: 'Choose a new password · Inkwell' }

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  await connection()
  const { token } = await searchParams
  return (
    <AuthCard>
      <h1 className="auth__heading">Choose a new password</h1>
      {typeof token === 'string' && token ? (
        <ResetPasswordForm token={token} />
      ) : (
        <p className="auth__text" data-testid="reset-no-token">
          This address is missing its reset token. Open the link from your email (or from your admin) exactly as it was given, or{' '}
          <Link href="/forgot-password">ask for a new one</Link>.
        </p>
      )}
    </AuthCard>
  )
}
