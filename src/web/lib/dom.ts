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

/** Replays a CSS animation class (e.g. a price flash) even when it is already applied. */
export function flash(element: HTMLElement, className: string): void {
  element.classList.remove('flash-up', 'flash-down')
  // Reading offsetWidth restarts the animation: the class removal is applied before it is re-added.
  void element.offsetWidth
  element.classList.add(className)
}

export function clear(element: Element): void {
  element.replaceChildren()
}
