import type { Metadata } from 'next'
import { AppHeader } from '../AppHeader'
import { requireUser } from '../session'
import { ApiTokens } from './ApiTokens'
import { PasswordChange } from './PasswordChange'
import { ThemeChoice } from './ThemeChoice'

export const metadata: Metadata = { title: 'Settings · Inkwell' }

export default async function SettingsPage() {
  const user = await requireUser('/settings')
  return (
    <div className="app-shell">
      <AppHeader user={user} current="settings" />
      <main className="home settings">
        <h1 className="settings__heading">Settings</h1>
        <section className="settings__card" aria-labelledby="account-heading">
          <h2 id="account-heading" className="settings__title">
            Account
          </h2>
          <dl className="settings__facts">
            <dt>Name</dt>
            <dd data-testid="account-name">{user.name}</dd>
            <dt>Email</dt>
            <dd data-testid="account-email">{user.email}</dd>
          </dl>
        </section>
        <ThemeChoice />
        <PasswordChange />
        <ApiTokens />
      </main>
    </div>
  )
}
