/**
 * Light and dark themes: the system's preference until the user picks one, then the pick (kept in
 * localStorage). The theme is a `data-theme` attribute on <html>; colours are CSS custom properties.
 */
import { Emitter } from '../lib/emitter.ts'

export type ThemeName = 'light' | 'dark'
const KEY = 'crypto-viz:theme'

function stored(): ThemeName | undefined {
  try {
    const value = localStorage.getItem(KEY)
    return value === 'light' || value === 'dark' ? value : undefined
  } catch {
    return undefined
  }
}

export class Theme extends Emitter<{ change: ThemeName }> {
  readonly #media = matchMedia('(prefers-color-scheme: dark)')
  #current: ThemeName

  constructor() {
    super()
    this.#current = stored() ?? (this.#media.matches ? 'dark' : 'light')
    this.#apply()
    this.#media.addEventListener('change', () => {
      if (stored() !== undefined) return
      this.#current = this.#media.matches ? 'dark' : 'light'
      this.#apply()
    })
  }

  get current(): ThemeName {
    return this.#current
  }

  toggle(): void {
    this.#current = this.#current === 'dark' ? 'light' : 'dark'
    try {
      localStorage.setItem(KEY, this.#current)
    } catch {
      // Private mode without storage: the choice lasts for this page.
    }
    this.#apply()
  }

  #apply(): void {
    document.documentElement.dataset.theme = this.#current
    document
      .querySelector('meta[name="theme-color"]')
      ?.setAttribute('content', this.#current === 'dark' ? '#0f1318' : '#ffffff')
    this.emit('change', this.#current)
  }
}
