import type { Editor } from '@tiptap/core'
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state'

/** Only these open from the editor: a javascript: or data: link never runs from a click. */
const OPENABLE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:'])

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

/**
 * Changes the address of the link around the caret, as the link prompt would.
 * Returns what went wrong in words for the writer, or null when the link was changed.
 */
export function changeLinkAddress(editor: Editor, input: string): string | null {
  const href = normalizeHref(input)
  if (!href) return 'Type an address, or use Remove to take the link away.'
  // setLink refuses addresses the link extension does not allow (javascript: and the like).
  const changed = editor.chain().focus().extendMarkRange('link').setLink({ href }).run()
  return changed ? null : 'This address cannot be a link. Use a web address such as https://example.com or an email address such as mailto:ada@example.com.'
}

export function removeLink(editor: Editor): void {
  editor.chain().focus().extendMarkRange('link').unsetLink().run()
}

/** The absolute address to open for a link's href, or null when it is not a web or mail address. */
export function openableAddress(href: string | undefined | null): string | null {
  if (!href) return null
  try {
    const url = new URL(href, window.location.href)
    return OPENABLE_PROTOCOLS.has(url.protocol) ? url.href : null
  } catch {
    return null
  }
}

/** Opens the link in a new tab that cannot reach back to this page. Returns whether it could. */
export function openLink(href: string | undefined | null): boolean {
  const address = openableAddress(href)
  if (!address) return false
  window.open(address, '_blank', 'noopener,noreferrer')
  return true
}

function normalizeHref(input: string): string {
  const href = input.trim()
  if (!href) return ''
  // "example.com" would otherwise become a link relative to this page.
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || /^[/#?]/.test(href)) return href
  return `https://${href}`
}

/**
 * Mod-k opens the link prompt; Ctrl+click (Cmd+click on a Mac) opens a link in a new tab. A plain
 * click on a link in a read-only page opens it too, as its target="_blank" always did.
 */
export const Links = Extension.create({
  name: 'inkwellLinks',
  addKeyboardShortcuts() {
    return {
      'Mod-k': () => {
        promptForLink(this.editor)
        return true
      },
    }
  },
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('inkwellLinkClicks'),
        props: {
          handleDOMEvents: {
            click: (view, event) => {
              const anchor = event.target instanceof Element ? event.target.closest('a[href]') : null
              if (!anchor || !view.dom.contains(anchor)) return false
              if (!view.editable) {
                // A read-only view does not follow clicks with its selection; without this the
                // link bubble would never learn which link a viewer clicked.
                const hit = view.posAtCoords({ left: event.clientX, top: event.clientY })
                if (hit) view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, hit.pos)))
              }
              if (!(event.ctrlKey || event.metaKey) || event.button !== 0) return false
              // Also stops a read-only page from following the link a second time.
              event.preventDefault()
              openLink(anchor.getAttribute('href'))
              return true
            },
          },
        },
      }),
    ]
  },
})
