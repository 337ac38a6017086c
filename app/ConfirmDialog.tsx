'use client'

import { useId, useRef, type ReactNode } from 'react'
import { Modal } from './Modal'

interface ConfirmDialogProps {
  title: string
  children: ReactNode
  confirmLabel: string
  busy?: boolean
  onConfirm: () => void
  onCancel: () => void
}

/** In-page modal confirmation (window.confirm blocks the page and cannot be styled or tested). */
export function ConfirmDialog({ title, children, confirmLabel, busy, onConfirm, onCancel }: ConfirmDialogProps) {
  const bodyId = useId()
  // Cancel gets focus so a stray Enter never destroys anything.
  const cancelRef = useRef<HTMLButtonElement>(null)

  return (
    <Modal title={title} busy={busy} onClose={onCancel} initialFocus={cancelRef} testId="confirm-dialog" describedBy={bodyId}>
      <p id={bodyId} className="dialog__body">
        {children}
      </p>
      <div className="dialog__actions">
        <button ref={cancelRef} type="button" className="button" data-testid="cancel-delete" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button
          type="button"
          className="button button--danger-solid"
          data-testid="confirm-delete"
          onClick={onConfirm}
          disabled={busy}
        >
          {confirmLabel}
        </button>
      </div>
    </Modal>
  )
}
