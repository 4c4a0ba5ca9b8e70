/**
 * HTML bytes to text, honouring what the page says about its encoding in the order browsers do: a
 * byte-order mark, then the HTTP charset, then a `<meta charset>` or `<meta http-equiv>` in the
 * first 1,024 bytes, else UTF-8. Pages that say UTF-8 (or nothing) but are not valid UTF-8 are read
 * as Windows-1252, the classic mislabel; an encoding iconv-lite does not know falls back the same way.
 */
import iconv from 'iconv-lite'

export interface DecodedHtml {
  text: string
  encoding: string
  /** Set when the declared encoding was not used, and why. */
  fallback?: string
}

const metaCharset = /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i

function declaredEncoding(bytes: Uint8Array, contentType: string | undefined): string | undefined {
  const header = /charset\s*=\s*["']?([A-Za-z0-9._:-]+)/i.exec(contentType ?? '')?.[1]
  if (header !== undefined) return header.toLowerCase()
  return metaCharset.exec(Buffer.from(bytes.subarray(0, 1024)).toString('latin1'))?.[1]?.toLowerCase()
}

function utf8OrFallback(bytes: Uint8Array, why: string | undefined): DecodedHtml {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return why === undefined ? { text, encoding: 'utf-8' } : { text, encoding: 'utf-8', fallback: why }
  } catch {
    return {
      text: iconv.decode(Buffer.from(bytes), 'windows-1252'),
      encoding: 'windows-1252',
      fallback: why ?? 'the bytes are not UTF-8; read as Windows-1252'
    }
  }
}

export function decodeHtml(bytes: Uint8Array, contentType?: string): DecodedHtml {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' }
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' }
  const declared = declaredEncoding(bytes, contentType)
  if (declared === undefined || declared === 'utf-8' || declared === 'utf8')
    return utf8OrFallback(bytes, undefined)
  // HTML's rule: a page labelled ISO-8859-1 or ASCII is read as Windows-1252 (its superset).
  const encoding = ['iso-8859-1', 'latin1', 'us-ascii', 'ascii'].includes(declared)
    ? 'windows-1252'
    : declared
  if (!iconv.encodingExists(encoding))
    return utf8OrFallback(bytes, `unknown encoding "${declared}"; read as UTF-8 or Windows-1252`)
  return { text: iconv.decode(Buffer.from(bytes), encoding), encoding }
}
