'use client'

import { useRouter } from 'next/navigation'
import { useId, useState, type FormEvent } from 'react'
import { PERSON_COLORS } from '../../server/accounts/colors'
import { apiRequest, messageOf } from '../apiRequest'

interface ProfileProps {
  name: string
  email: string
  color: string
}

/**
 * Name and colour as others see them next to your cursor and in history. The palette passes
 * contrast with the initials drawn on it; any other colour is checked by the server the same way.
 */
export function Profile({ name: savedName, email, color: savedColor }: ProfileProps) {
  const router = useRouter()
  const ids = { name: useId(), custom: useId(), colors: useId() }
  const [name, setName] = useState(savedName)
  const [color, setColor] = useState(savedColor)
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null)

  const save = async (change: { name?: string; color?: string | null }, done: string) => {
    setBusy(true)
    setOutcome(null)
    try {
      const user = await apiRequest<{ name: string; color: string }>('/api/me', { method: 'PATCH', body: JSON.stringify(change) })
      setName(user.name)
      setColor(user.color)
      setOutcome({ ok: true, message: `${done} Documents you open from now on show it.` })
      router.refresh()
    } catch (e) {
      setOutcome({ ok: false, message: messageOf(e) })
    } finally {
      setBusy(false)
    }
  }

  const submitName = (event: FormEvent) => {
    event.preventDefault()
    if (!busy) void save({ name }, 'Name saved.')
  }

  return (
    <section className="settings__card" aria-labelledby="profile-heading">
      <h2 id="profile-heading" className="settings__title">
        Profile
      </h2>
      <p className="settings__text">
        Signed in as <span data-testid="account-email">{email}</span>.
      </p>
      {outcome && (
        <div className={`banner ${outcome.ok ? 'banner--info' : 'banner--error'}`} role={outcome.ok ? 'status' : 'alert'} data-testid="profile-outcome">
          <span>{outcome.message}</span>
        </div>
      )}
      <form className="share-form" onSubmit={submitName}>
        <label className="field__label" htmlFor={ids.name}>
          Name
        </label>
        <div className="share-form__row">
          <input
            id={ids.name}
            className="input share-form__email"
            data-testid="profile-name"
            autoComplete="name"
            maxLength={80}
            value={name}
            onChange={e => setName(e.target.value)}
          />
          <button type="submit" className="button button--primary" data-testid="profile-name-save" disabled={busy || !name.trim() || name.trim() === savedName}>
            Save name
          </button>
        </div>
      </form>
      <fieldset className="profile-colors">
        <legend className="field__label" id={ids.colors}>
          Colour
        </legend>
        <div className="profile-colors__swatches" role="radiogroup" aria-labelledby={ids.colors}>
          {PERSON_COLORS.map(option => (
            <button
              key={option}
              type="button"
              role="radio"
              aria-checked={option === color}
              aria-label={`Colour ${option}`}
              className="profile-colors__swatch"
              style={{ backgroundColor: option }}
              data-testid="profile-color"
              data-color={option}
              disabled={busy}
              onClick={() => void save({ color: option }, 'Colour saved.')}
            />
          ))}
        </div>
        <div className="share-form__row">
          <label className="field__label" htmlFor={ids.custom}>
            Or any colour deep enough for initials and cursors
          </label>
          <input
            id={ids.custom}
            type="color"
            className="profile-colors__custom"
            data-testid="profile-color-custom"
            value={color}
            disabled={busy}
            onChange={e => setColor(e.target.value)}
          />
          <button type="button" className="button" data-testid="profile-color-save" disabled={busy || color === savedColor} onClick={() => void save({ color }, 'Colour saved.')}>
            Use this colour
          </button>
          <button type="button" className="button button--quiet" data-testid="profile-color-reset" disabled={busy} onClick={() => void save({ color: null }, 'Colour reset to your original one.')}>
            Original colour
          </button>
        </div>
      </fieldset>
    </section>
  )
}
