import Link from 'next/link'
import { connection } from 'next/server'

/**
 * The page for addresses that match no route. Rendered per request like every other page, never
 * prerendered: a prerendered page's inline scripts could not carry the response's CSP nonce, so the
 * browser would refuse them (server/http/security-headers.ts).
 */
export default async function NotFound() {
  await connection()
  return (
    <main className="auth">
      <div className="doc-page__message" data-testid="page-not-found">
        <h1>Page not found</h1>
        <p>There is nothing at this address.</p>
        <Link href="/" className="button button--primary">
          Back to all documents
        </Link>
      </div>
    </main>
  )
}
