import { AppHeader } from '../../AppHeader'
import { requireUser } from '../../session'
import { DocumentPage } from './DocumentPage'

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params
  const user = await requireUser(`/d/${encodeURIComponent(id)}`)
  return (
    <div className="app-shell">
      <AppHeader user={user} />
      <DocumentPage id={id} user={{ id: user.id, name: user.name, color: user.color }} />
    </div>
  )
}
