import Link from 'next/link'
import type { SessionUser } from './session'
import { HeaderMenu } from './HeaderMenu'
import { SignOutButton } from './SignOutButton'

interface AppHeaderProps {
  user: Pick<SessionUser, 'name' | 'email' | 'color'> & { isAdmin?: boolean }
  /** The section being shown, marked in the navigation. */
  current?: 'documents' | 'settings' | 'admin'
}

/** The bar at the top of every signed-in page. */
export function AppHeader({ user, current }: AppHeaderProps) {
  return (
    <header className="app-header">
      <Link href="/" className="app-brand">
        <span className="app-brand__mark" aria-hidden="true">
          ✒
        </span>
        Inkwell
      </Link>
      <HeaderMenu>
        <nav className="app-nav" aria-label="Main">
          <Link
            href="/"
            className="app-nav__link"
            data-testid="home-link"
            aria-current={current === 'documents' ? 'page' : undefined}
          >
            Documents
          </Link>
          <Link
            href="/settings"
            className="app-nav__link"
            data-testid="settings-link"
            aria-current={current === 'settings' ? 'page' : undefined}
          >
            Settings
          </Link>
          {user.isAdmin && (
            <Link href="/admin" className="app-nav__link" data-testid="admin-link" aria-current={current === 'admin' ? 'page' : undefined}>
              Admin
            </Link>
          )}
        </nav>
        <div className="app-header__user">
          <span className="app-header__who" data-testid="current-user" title={`Signed in as ${user.email}`}>
            <span className="app-header__swatch" style={{ backgroundColor: user.color }} aria-hidden="true" />
            {user.name}
          </span>
          <SignOutButton />
        </div>
      </HeaderMenu>
    </header>
  )
}
