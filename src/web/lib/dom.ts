/** A few DOM helpers: build elements declaratively, and write text only when it changed. */

type Child = Node | string | null | undefined | false
type Attributes = Record<string, string | number | boolean | undefined | EventListener>

/** `h('button', { class: 'x', onclick: fn }, 'Label')`: attributes, `on*` listeners, children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    if (typeof value === 'function') element.addEventListener(name.slice(2), value)
    // Through the CSSOM, not a style attribute: the Content-Security-Policy forbids inline style
    // attributes (docs/security.md), not styles set from script.
    else if (name === 'style') element.style.cssText = String(value)
    else element.setAttribute(name, value === true ? '' : String(value))
  }
  append(element, children)
  return element
}

export function append(parent: Element, children: Child[]): void {
  for (const child of children)
    if (child !== null && child !== undefined && child !== false)
      parent.append(typeof child === 'string' ? document.createTextNode(child) : child)
}

/** Sets text only when it differs: no style recalculation for unchanged values on every tick. */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text
}

const lastFlash = new WeakMap<Element, number>()

/**
 * Tints an element briefly (a price going up or down). At most a few times a second per element,
 * by fading the opacity of an overlay (`.flash-host::after`, base.css) through the Web Animations
 * API: the compositor runs it, and restarting it forces no layout.
 */
export function flash(element: HTMLElement, direction: 'up' | 'down'): void {
  const now = performance.now()
  if (now - (lastFlash.get(element) ?? -Infinity) < 400) return
  lastFlash.set(element, now)
  element.classList.add('flash-host')
  element.style.setProperty('--flash-color', `color-mix(in srgb, var(--${direction}) 18%, transparent)`)
  element.animate([{ opacity: 1 }, { opacity: 0 }], {
    duration: 900,
    easing: 'ease-out',
    pseudoElement: '::after'
  })
}

export function clear(element: Element): void {
  element.replaceChildren()
}
