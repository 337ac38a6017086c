import type { Metadata } from 'next'
import { AppHeader } from '../AppHeader'
import { requireUser } from '../session'
import { ApiTokens } from './ApiTokens'
import { PasswordChange } from './PasswordChange'
import { ThemeChoice } from './ThemeChoice'
import { Profile } from './Profile'
import { Sessions } from './Sessions'

export const metadata: Metadata = { title: 'Settings · Inkwell' }

export default async function SettingsPage() {
  const user = await requireUser('/settings')
  return (
    <div className="app-shell">
      <AppHeader user={user} current="settings" />
      <main className="home settings">
        <h1 className="settings__heading">Settings</h1>
        <Profile name={user.name} email={user.email} color={user.color} />
        <ThemeChoice />
        <PasswordChange />
        <Sessions />
        <ApiTokens />
      </main>
    </div>
  )
}
