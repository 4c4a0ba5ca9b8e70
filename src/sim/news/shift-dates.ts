/**
 * Moves every item date in a feed document by one offset so that the newest becomes `now`,
 * keeping each date's format (RFC 822 in RSS, RFC 3339 in Atom and dc:date) and the spacing
 * between items. Dates that do not parse are left alone (they are test cases).
 */
const rfc822 = /<(pubDate|lastBuildDate)>([^<]+)<\/\1>/g
const iso = /<(dc:date|published|updated)>([^<]+)<\/\1>/g

export function shiftFeedDates(bytes: Buffer, now: number): Buffer {
  // latin1 maps bytes 1:1, so documents in any encoding come back byte-identical outside the dates.
  const text = bytes.toString('latin1')
  const times = [...text.matchAll(rfc822), ...text.matchAll(iso)]
    .map(m => Date.parse(m[2] ?? ''))
    .filter(t => !Number.isNaN(t))
  if (times.length === 0) return bytes
  const offset = now - Math.max(...times)
  const shifted = text
    .replace(rfc822, (all, tag: string, value: string) => {
      const time = Date.parse(value)
      return Number.isNaN(time)
        ? all
        : `<${tag}>${new Date(time + offset).toUTCString().replace('GMT', '+0000')}</${tag}>`
    })
    .replace(iso, (all, tag: string, value: string) => {
      const time = Date.parse(value)
      return Number.isNaN(time) ? all : `<${tag}>${new Date(time + offset).toISOString()}</${tag}>`
    })
  return Buffer.from(shifted, 'latin1')
}
