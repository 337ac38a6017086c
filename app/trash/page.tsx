import type { Metadata } from 'next'
import { AppHeader } from '../AppHeader'
import { requireUser } from '../session'
import { TrashList } from './TrashList'

export const metadata: Metadata = { title: 'Trash · Inkwell' }

export default async function TrashPage() {
  const user = await requireUser('/trash')
  return (
    <div className="app-shell">
      <AppHeader user={user} />
      <main className="home">
        <TrashList />
      </main>
    </div>
  )
}
