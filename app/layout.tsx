import type { Metadata, Viewport } from 'next'
import type { ReactNode } from 'react'
import './globals.css'

export const metadata: Metadata = {
  title: 'Inkwell',
  description: 'A self-hosted collaborative document editor',
}

export const viewport: Viewport = {
  themeColor: '#f6f7f9',
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  )
}
