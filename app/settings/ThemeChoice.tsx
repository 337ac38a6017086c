'use client'

import { useId } from 'react'
import { THEME_COOKIE, themeAttribute, type ThemeChoice as Choice } from '../theme/theme'
import { useThemeChoice } from '../theme/useThemeChoice'

const CHOICES: { value: Choice; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

const ONE_YEAR = 365 * 24 * 60 * 60

/** Writes the choice where the server reads it (the next page comes in these colours) and applies it now. */
function applyTheme(choice: Choice) {
  const secure = window.location.protocol === 'https:' ? '; Secure' : ''
  document.cookie =
    choice === 'system'
      ? `${THEME_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax${secure}`
      : `${THEME_COOKIE}=${choice}; Path=/; Max-Age=${ONE_YEAR}; SameSite=Lax${secure}`
  const attribute = themeAttribute(choice)
  if (attribute) document.documentElement.dataset.theme = attribute
  else delete document.documentElement.dataset.theme
}

/** System, Light or Dark, for this browser. */
export function ThemeChoice() {
  const choice = useThemeChoice()
  const name = useId()
  const hintId = useId()

  return (
    <section className="settings__card" aria-labelledby={`${name}-heading`}>
      <h2 id={`${name}-heading`} className="settings__title">
        Appearance
      </h2>
      <fieldset className="theme-choice" aria-describedby={hintId}>
        <legend className="field__label">Theme</legend>
        <div className="theme-choice__options">
          {CHOICES.map(option => (
            <label key={option.value} className="theme-choice__option">
              <input
                type="radio"
                name={name}
                value={option.value}
                data-testid={`theme-${option.value}`}
                checked={choice === option.value}
                onChange={() => applyTheme(option.value)}
              />
              {option.label}
            </label>
          ))}
        </div>
        <p id={hintId} className="field__hint">
          System follows your device&rsquo;s light or dark setting. The choice is kept in this browser.
        </p>
      </fieldset>
    </section>
  )
}
