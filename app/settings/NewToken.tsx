'use client'

import { useEffect, useState } from 'react'
import { CopyButton } from '../CopyButton'

interface NewTokenProps {
  name: string
  token: string
  onDismiss: () => void
}

/** The only time the full token is shown: the server keeps just a hash of it. */
export function NewToken({ name, token, onDismiss }: NewTokenProps) {
  const [origin, setOrigin] = useState('')
  useEffect(() => setOrigin(window.location.origin), [])
  const example = `curl -H "Authorization: Bearer ${token}" ${origin}/api/documents`

  return (
    <div className="new-token" data-testid="new-token" role="status">
      <p className="new-token__warning">
        <strong>Copy “{name}” now.</strong> It will not be shown again; if you lose it, revoke it and create another.
      </p>
      <div className="new-token__row" data-copy-scope>
        <code className="new-token__value" data-testid="token-value">
          {token}
        </code>
        <CopyButton text={token} testId="token-copy" label="Copy" />
      </div>
      <p className="new-token__label">Try it:</p>
      <div className="new-token__row" data-copy-scope>
        <pre className="new-token__example" data-testid="token-example">
          {example}
        </pre>
        <CopyButton text={example} testId="token-example-copy" label="Copy" />
      </div>
      <button type="button" className="button button--quiet" data-testid="token-dismiss" onClick={onDismiss}>
        I have copied it
      </button>
    </div>
  )
}
