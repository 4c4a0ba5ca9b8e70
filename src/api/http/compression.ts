/**
 * Compressed answers. JSON (and the docs page's text) of 1 KiB or more goes out brotli- or
 * gzip-compressed when the client accepts it, chosen by Accept-Encoding and marked
 * `Vary: Accept-Encoding` (@fastify/compress). The dashboard's files come compressed from the build
 * (http/dashboard.ts); the live WebSocket is not an HTTP answer and is untouched.
 *
 * The cached reads' answers are ready-made Buffers that many requests share (local-copies.ts), so
 * compressing one on every hit would cost more than serving it: each is compressed once per
 * encoding, off the event loop, and the compressed bytes are kept beside it (a WeakMap on the
 * Buffer: they live exactly as long as the cached answer).
 */
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import compress from '@fastify/compress'
import type { FastifyInstance, FastifyReply } from 'fastify'

/** Smaller answers fit in a packet or two: compressing them saves nothing worth the CPU. */
export const COMPRESSION_THRESHOLD_BYTES = 1024

type Encoding = 'br' | 'gzip'
const ENCODINGS: readonly Encoding[] = ['br', 'gzip']
// Brotli at 4 compresses JSON about as well as gzip -9 at a fraction of its time (the level
// @fastify/compress uses too); gzip at zlib's default.
const BROTLI_QUALITY = 4

const compressors: Record<Encoding, (input: Buffer) => Promise<Buffer>> = {
  br: input =>
    promisify(brotliCompress)(input, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } }),
  gzip: input => promisify(gzip)(input)
}

/**
 * The encoding to answer in: the accepted one with the highest q-value, brotli before gzip on a tie;
 * undefined for none (no header, identity only, or q=0 for both). `*` is read as gzip, as
 * @fastify/compress and @fastify/static read it, so that every path of the server answers alike.
 */
export function negotiateEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (acceptEncoding === undefined) return undefined
  const weights = new Map<string, number>()
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name = '', ...parameters] = part.split(';').map(token => token.trim())
    if (name === '') continue
    const q = parameters.find(p => p.startsWith('q='))
    const weight = q === undefined ? 1 : Number(q.slice(2))
    weights.set(name, Number.isFinite(weight) ? weight : 0)
  }
  let best: Encoding | undefined
  let bestWeight = 0
  for (const encoding of ENCODINGS) {
    const weight = weights.get(encoding) ?? (encoding === 'gzip' ? weights.get('*') : undefined) ?? 0
    if (weight > bestWeight) {
      best = encoding
      bestWeight = weight
    }
  }
  return best
}

/** Compressed copies of shared answer Buffers, made once per encoding (concurrent asks share it). */
export class CompressedCopies {
  readonly #copies = new WeakMap<Buffer, Partial<Record<Encoding, Promise<Buffer>>>>()

  get(body: Buffer, encoding: Encoding): Promise<Buffer> {
    let copies = this.#copies.get(body)
    if (copies === undefined) {
      copies = {}
      this.#copies.set(body, copies)
    }
    const existing = copies[encoding]
    if (existing !== undefined) return existing
    const made = compressors[encoding](body)
    copies[encoding] = made
    // A failed compression is not kept: the next request tries again.
    made.catch(() => {
      if (copies[encoding] === made) delete copies[encoding]
    })
    return made
  }
}

function addVary(reply: FastifyReply): void {
  const vary = reply.getHeader('vary')
  const current = vary === undefined ? '' : String(vary)
  if (!/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(current))
    void reply.header('vary', current === '' ? 'accept-encoding' : `${current}, accept-encoding`)
}

const isJson = (type: unknown): boolean => typeof type === 'string' && /[/+]json(;|$)/.test(type)

export async function installCompression(app: FastifyInstance): Promise<void> {
  const copies = new CompressedCopies()
  // Application-wide onSend hooks run before @fastify/compress's (added per route): a Buffer answer
  // leaves here already encoded, and the plugin passes it through.
  // A callback hook, not an async one: most answers pass through untouched, without a promise each.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!Buffer.isBuffer(payload) || payload.length < COMPRESSION_THRESHOLD_BYTES) return done(null, payload)
    if (reply.hasHeader('content-encoding') || !isJson(reply.getHeader('content-type')))
      return done(null, payload)
    addVary(reply)
    const encoding = negotiateEncoding(request.headers['accept-encoding'])
    if (encoding === undefined || request.headers['x-no-compression'] !== undefined)
      return done(null, payload)
    copies.get(payload, encoding).then(compressed => {
      void reply.header('content-encoding', encoding)
      done(null, compressed)
    }, done)
  })
  await app.register(compress, {
    threshold: COMPRESSION_THRESHOLD_BYTES,
    encodings: [...ENCODINGS],
    // The API takes no request bodies: nothing to inflate (and no zip bomb to inflate).
    globalDecompression: false,
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } }
  })
}
