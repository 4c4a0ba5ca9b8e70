/**
 * Feed bytes to text. The declared encoding is honoured (byte-order mark, then the XML prolog,
 * then the HTTP charset, else UTF-8), via iconv-lite for the non-Unicode ones. Feeds that say
 * UTF-8 but send Windows-1252 (a classic of old CMS setups) are detected by strict decoding and
 * read as Windows-1252 rather than filled with replacement characters.
 */
import iconv from 'iconv-lite'
import { FeedProblem } from './feed-problem.ts'

export interface Decoded {
  text: string
  encoding: string
  /** Set when the bytes did not match the declared encoding and a fallback was used. */
  mismatch?: string
}

function declared(bytes: Uint8Array, contentType: string | undefined): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1')
  const prolog = /^<\?xml[^>]*encoding=["']([A-Za-z0-9._-]+)["']/.exec(
    head.replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
  )?.[1]
  const header = /charset=["']?([A-Za-z0-9._-]+)/i.exec(contentType ?? '')?.[1]
  return (prolog ?? header)?.toLowerCase()
}

export function decodeFeed(bytes: Uint8Array, contentType?: string): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' }
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' }
  const encoding = declared(bytes, contentType) ?? 'utf-8'
  if (encoding === 'utf-8' || encoding === 'utf8') {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' }
    } catch {
      return {
        text: iconv.decode(Buffer.from(bytes), 'windows-1252'),
        encoding: 'windows-1252',
        mismatch: 'declared UTF-8 but the bytes are not; read as Windows-1252'
      }
    }
  }
  if (!iconv.encodingExists(encoding)) {
    throw new FeedProblem('encoding', `the feed declares encoding "${encoding}", which is not supported`)
  }
  return { text: iconv.decode(Buffer.from(bytes), encoding), encoding }
}
