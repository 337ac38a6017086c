import type { Metadata } from 'next'
import { AppHeader } from '../../AppHeader'
import { requireUser } from '../../session'
import { JoinDocument } from './JoinDocument'

export const metadata: Metadata = { title: 'Join a document · Inkwell' }

export default async function JoinPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params
  const user = await requireUser(`/join/${encodeURIComponent(token)}`)
  return (
    <div className="app-shell">
      <AppHeader user={user} />
      <main className="home">
        <JoinDocument token={token} />
      </main>
    </div>
  )
}
