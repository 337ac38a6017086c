import { AppHeader } from './AppHeader'
import { DocumentList } from './DocumentList'
import { SearchBox } from './SearchBox'
import { requireUser } from './session'

export default async function HomePage() {
  const user = await requireUser('/')
  return (
    <div className="app-shell">
      <AppHeader user={user} current="documents" />
      <main className="home">
        <SearchBox />
        <DocumentList />
      </main>
    </div>
  )
}
