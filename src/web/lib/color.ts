/** `#26a69a` + 0.2 → `rgba(38, 166, 154, 0.2)`: canvases need explicit alpha colours. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color.trim())?.[1]
  if (hex === undefined) return color
  const n = Number.parseInt(hex, 16)
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`
}
