import type { Metadata } from 'next'
import Link from 'next/link'
import { AppHeader } from '../AppHeader'
import { requireUser } from '../session'
import { AdminScreen } from './AdminScreen'

export const metadata: Metadata = { title: 'Admin · Inkwell' }

export default async function AdminPage() {
  const user = await requireUser('/admin')
  return (
    <div className="app-shell">
      <AppHeader user={user} current="admin" />
      <main className="home settings admin">
        <h1 className="settings__heading">Admin</h1>
        {user.isAdmin ? (
          <AdminScreen selfId={user.id} />
        ) : (
          <div className="doc-page__message" data-testid="admin-forbidden">
            <p>Only an admin of this Inkwell server can open this page.</p>
            <Link href="/" className="button button--primary">
              Back to all documents
            </Link>
          </div>
        )}
      </main>
    </div>
  )
}
