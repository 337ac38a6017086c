'use client'

export { InkwellEditor } from './InkwellEditor'
export type { CollaborationToken, DocumentRole, InkwellEditorProps, InkwellUser, SaveStatus } from './types'
