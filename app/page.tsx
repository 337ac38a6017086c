import Link from 'next/link'
import { DocumentList } from './DocumentList'

export default function HomePage() {
  return (
    <div className="app-shell">
      <header className="app-header">
        <Link href="/" className="app-brand">
          <span className="app-brand__mark" aria-hidden="true">
            ✒
          </span>
          Inkwell
        </Link>
      </header>
      <main className="home">
        <DocumentList />
      </main>
    </div>
  )
}
