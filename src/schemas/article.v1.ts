/**
 * A news article from an RSS/Atom feed, published to `rawarticle` keyed by `id`.
 *
 *   {"v":1,"type":"article","id":"3f1c…(sha-256 of the canonical URL, 32 hex)","source":"coindesk",
 *    "feedUrl":"https://www.coindesk.com/arc/outboundfeeds/rss/",
 *    "url":"https://coindesk.com/tech/2026/06/21/sandwich-bot","title":"Ethereum's biggest bot drained…",
 *    "summary":"Short summary & teaser.","authors":["Shaurya Malwa"],"categories":["Ethereum"],
 *    "imageUrl":"https://cdn.example.com/lead.jpg","publishedAt":"2026-06-21T07:12:35.000Z",
 *    "publishedAtEstimated":false,"coins":[{"code":"ETH","mentions":2,"inTitle":true}],
 *    "sponsored":false,"fetchedAt":"2026-06-21T07:15:02.120331Z"}
 *
 * Text fields are plain text (HTML stripped, entities decoded). `publishedAtEstimated` marks a
 * fetch-time fallback for items without a usable date. `content` is the article's main text when
 * it was fetched from the page (or given in full by the feed); `extraction` says how that went.
 */
import { type Static, Type } from '@sinclair/typebox'
import { Timestamp, codec, envelope } from './common.ts'

export const CoinMention = Type.Object({
  code: Type.String({ pattern: '^[A-Z0-9]{2,12}$', description: 'asset code, e.g. BTC' }),
  mentions: Type.Integer({ minimum: 1 }),
  inTitle: Type.Boolean()
})

export const ArticleV1 = Type.Object({
  ...envelope('article', 1),
  id: Type.String({ pattern: '^[a-f0-9]{16,64}$' }),
  source: Type.String({ minLength: 1, maxLength: 100 }),
  feedUrl: Type.String({ minLength: 1 }),
  url: Type.String({ pattern: '^https?://' }),
  title: Type.String({ minLength: 1, maxLength: 1000 }),
  summary: Type.String({ maxLength: 20_000 }),
  content: Type.Optional(Type.String({ maxLength: 500_000 })),
  extraction: Type.Optional(
    Type.Object({
      status: Type.Union([
        Type.Literal('extracted'),
        Type.Literal('feed'),
        Type.Literal('failed'),
        Type.Literal('skipped')
      ]),
      reason: Type.Optional(Type.String({ maxLength: 500 }))
    })
  ),
  authors: Type.Array(Type.String({ maxLength: 300 }), { maxItems: 50 }),
  categories: Type.Array(Type.String({ maxLength: 300 }), { maxItems: 100 }),
  imageUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
  publishedAt: Timestamp,
  publishedAtEstimated: Type.Boolean(),
  coins: Type.Array(CoinMention, { maxItems: 200 }),
  sponsored: Type.Boolean(),
  fetchedAt: Timestamp
})

export type ArticleV1 = Static<typeof ArticleV1>
export const articleCodec = codec('article', 1, ArticleV1)
