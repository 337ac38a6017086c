import Link from 'next/link'
import type { ReactNode } from 'react'

/** The card that signing in, signing up and password resets share: the brand, then what the page is for. */
export function AuthCard({ children }: { children: ReactNode }) {
  return (
    <main className="auth">
      <div className="auth__card">
        <Link href="/" className="app-brand auth__brand">
          <span className="app-brand__mark" aria-hidden="true">
            ✒
          </span>
          Inkwell
        </Link>
        {children}
      </div>
    </main>
  )
}
