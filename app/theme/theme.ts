/** The reader's choice of colours; 'system' follows prefers-color-scheme. */
export type ThemeChoice = 'system' | 'light' | 'dark'

/** Read by app/layout.tsx on every request, so the first paint already has the right colours. */
export const THEME_COOKIE = 'inkwell-theme'

export function themeFromCookie(value: string | undefined): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system'
}

/** The value of <html data-theme>: absent for 'system', so the stylesheet's light-dark() follows the OS. */
export function themeAttribute(choice: ThemeChoice): 'light' | 'dark' | undefined {
  return choice === 'system' ? undefined : choice
}

/** The browser bar's colour, the app's canvas in each scheme. */
export const THEME_COLORS = { light: '#f6f7f9', dark: '#0d1117' } as const
