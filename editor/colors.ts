const HEX6 = /^#[0-9a-fA-F]{6}$/

export function isHexColor(color: unknown): color is string {
  return typeof color === 'string' && HEX6.test(color)
}

/** '#rrggbb' + alpha as '#rrggbbaa'; anything else becomes transparent rather than invalid CSS. */
export function withAlpha(color: unknown, alpha: number): string {
  if (!isHexColor(color)) return 'transparent'
  const byte = Math.round(Math.min(1, Math.max(0, alpha)) * 255)
  return `${color}${byte.toString(16).padStart(2, '0')}`
}

/** Dark or white text, whichever stays legible on the given background. */
export function readableTextColor(background: unknown): string {
  if (!isHexColor(background)) return '#1f2328'
  const channel = (offset: number) => {
    const c = parseInt(background.slice(offset, offset + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
  // Contrast against white vs. near-black; pick the larger.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.0664 ? '#ffffff' : '#1f2328'
}

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  if (words.length === 0) return '?'
  const letters = words.length === 1 ? [...words[0]].slice(0, 2) : [[...words[0]][0], [...words[words.length - 1]][0]]
  return letters.join('').toUpperCase()
}
