import type { Metadata, Viewport } from 'next'
import { cookies } from 'next/headers'
import type { ReactNode } from 'react'
import { THEME_COLORS, THEME_COOKIE, themeAttribute, themeFromCookie } from './theme/theme'
import './globals.css'

export const metadata: Metadata = {
  title: 'Inkwell',
  description: 'A self-hosted collaborative document editor',
}

export async function generateViewport(): Promise<Viewport> {
  const choice = themeFromCookie((await cookies()).get(THEME_COOKIE)?.value)
  if (choice !== 'system') return { themeColor: THEME_COLORS[choice], colorScheme: choice }
  return {
    themeColor: [
      { media: '(prefers-color-scheme: light)', color: THEME_COLORS.light },
      { media: '(prefers-color-scheme: dark)', color: THEME_COLORS.dark },
    ],
    colorScheme: 'light dark',
  }
}

// The theme comes from a cookie read here rather than from a script: the CSP allows no inline
// scripts, and the server knowing it means the first paint is already in the chosen colours.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const choice = themeFromCookie((await cookies()).get(THEME_COOKIE)?.value)
  return (
    <html lang="en" data-theme={themeAttribute(choice)}>
      <body>{children}</body>
    </html>
  )
}
