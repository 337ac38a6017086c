'use client'

/** What went wrong, until the person dismisses it; nothing while there is nothing to say. */
export function ErrorBanner({ message, testId, onDismiss }: { message: string | null; testId: string; onDismiss: () => void }) {
  if (!message) return null
  return (
    <div className="banner banner--error" role="alert" data-testid={testId}>
      <span>{message}</span>
      <button type="button" className="banner__close" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  )
}
