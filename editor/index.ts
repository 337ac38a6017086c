'use client'

export { InkwellEditor } from './InkwellEditor'
export type { InkwellEditorProps, InkwellUser, SaveStatus } from './types'
