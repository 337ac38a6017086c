import type { Editor } from '@tiptap/core'
import { Extension } from '@tiptap/core'

export function promptForLink(editor: Editor): void {
  if (!editor.isEditable) return
  const previous = (editor.getAttributes('link').href as string | undefined) ?? ''
  const input = window.prompt('Link URL (leave empty to remove the link)', previous)
  if (input === null) return

  const href = normalizeHref(input)
  if (!href) {
    editor.chain().focus().extendMarkRange('link').unsetLink().run()
  } else if (editor.state.selection.empty && !editor.isActive('link')) {
    // Nothing selected to turn into a link: insert the address itself.
    editor
      .chain()
      .focus()
      .insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] })
      .run()
  } else {
    editor.chain().focus().extendMarkRange('link').setLink({ href }).run()
  }
}

function normalizeHref(input: string): string {
  const href = input.trim()
  if (!href) return ''
  // "example.com" would otherwise become a link relative to this page.
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || /^[/#?]/.test(href)) return href
  return `https://${href}`
}

/** Mod-k opens the same link prompt as the toolbar button. */
export const LinkShortcut = Extension.create({
  name: 'inkwellLinkShortcut',
  addKeyboardShortcuts() {
    return {
      'Mod-k': () => {
        promptForLink(this.editor)
        return true
      },
    }
  },
})
