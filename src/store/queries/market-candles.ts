/**
 * The candles a chart shows: the pipeline's own, built from the trades it saw (`candles`), and
 * where it has none, the exchange's (`exchange_candles`: Kraken's OHLC, loaded at start-up for the
 * time before the pipeline ran, or from the optional ohlc channel). A bucket is never counted twice:
 * where both exist, the candle from trades wins. Each row says where it comes from (`source`), so
 * the chart can draw the exchange's stretch apart. Exchange candles carry no taker split (their buy
 * and sell volumes are absent) and their quote volume is VWAP × volume.
 */
import type { Queryable } from '../database.ts'
import { type CandleRow, type SeriesQuery, seriesPage, seriesWindow } from './candles.ts'
import { Params, type Page } from './params.ts'

export type CandleSource = 'trades' | 'exchange'

/** A listed candle and its origin; an exchange candle has no buy/sell volumes. */
export type MarketCandleRow = Omit<CandleRow, 'buyVolume' | 'sellVolume'> &
  Partial<Pick<CandleRow, 'buyVolume' | 'sellVolume'>> & { source: CandleSource }

/** The API's interval names and Kraken's minutes. */
export const intervalMinutes: Readonly<Record<string, number>> = {
  '1m': 1,
  '5m': 5,
  '15m': 15,
  '1h': 60,
  '1d': 1440
}

export async function listMarketCandles(
  db: Queryable,
  query: SeriesQuery & { symbol: string; interval: string }
): Promise<Page<MarketCandleRow>> {
  const params = new Params()
  const symbol = params.add(query.symbol)
  const interval = params.add(query.interval)
  const minutes = params.add(intervalMinutes[query.interval] ?? -1, 'int4')
  const window = seriesWindow(params, query)
  const { rows } = await db.query<MarketCandleRow & { buyVolume: string | null; sellVolume: string | null }>(
    `select * from (
       select bucket, open, high, low, close, volume, quote_volume as "quoteVolume", vwap, trades,
              buy_volume as "buyVolume", sell_volume as "sellVolume", 'trades' as source
         from candles
        where symbol = ${symbol} and interval = ${interval}
       union all
       select e.bucket, e.open, e.high, e.low, e.close, e.volume, e.vwap * e.volume as "quoteVolume",
              e.vwap, e.trades, null as "buyVolume", null as "sellVolume", 'exchange' as source
         from exchange_candles e
        where e.symbol = ${symbol} and e.interval_min = ${minutes}
          and not exists (select 1 from candles c
                           where c.symbol = ${symbol} and c.interval = ${interval} and c.bucket = e.bucket)
     ) as market
     where true${window.where}
     ${window.tail}`,
    params.values
  )
  const items = rows.map(({ buyVolume, sellVolume, ...row }) =>
    buyVolume === null || sellVolume === null ? row : { ...row, buyVolume, sellVolume }
  )
  return seriesPage(items, window.newest, query.limit)
}
