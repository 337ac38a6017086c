import type { HocuspocusProvider } from '@hocuspocus/provider'
import type { Extensions } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { CharacterCount, Placeholder } from '@tiptap/extensions'
import type * as Y from 'yjs'
import { readableTextColor, withAlpha } from './colors'
import { contentExtensions } from './content-extensions'
import { Links } from './link'
import type { InkwellUser } from './types'
import { UndoSteps } from './undo-steps'

export function createExtensions(ydoc: Y.Doc, provider: HocuspocusProvider, user: InkwellUser): Extensions {
  return [
    // The document's nodes and marks, shared with the server's export and import.
    ...contentExtensions(),
    Collaboration.configure({ document: ydoc, field: 'default' }),
    CollaborationCaret.configure({
      provider,
      user: { name: user.name, color: user.color },
      render: renderCaret,
      selectionRender: caretUser => ({
        nodeName: 'span',
        class: 'collaboration-carets__selection',
        style: `background-color: ${withAlpha(caretUser.color, 0.25)}`,
        'data-user': String(caretUser.name ?? ''),
      }),
    }),
    CharacterCount,
    Links,
    UndoSteps,
    Placeholder.configure({ placeholder: 'Start writing…' }),
  ]
}

function renderCaret(caretUser: Record<string, unknown>): HTMLElement {
  const color = typeof caretUser.color === 'string' ? caretUser.color : 'transparent'
  const name = typeof caretUser.name === 'string' ? caretUser.name : 'Anonymous'

  const caret = document.createElement('span')
  caret.classList.add('collaboration-carets__caret')
  caret.style.borderColor = color

  const label = document.createElement('div')
  label.classList.add('collaboration-carets__label')
  label.style.backgroundColor = color
  label.style.color = readableTextColor(color)
  label.textContent = name

  caret.append(label)
  return caret
}
