/**
 * The variables of the deeper news and market signals (article pages, MACD, whale trades), merged
 * into the one table of variables.ts. Apart only to keep each file readable in one sitting.
 */
import { integer, number, text } from './parsers.ts'
import { feedSelection, hostList, macdSpec, symbolAmounts } from './signal-parsers.ts'
import { variable } from './variable.ts'

export const signalVariables = {
  INDICATOR_MACD: variable(
    macdSpec(),
    '12,26,9',
    'MACD periods fast,slow,signal (stored as macd_…, macd_signal_…, macd_hist_…), or off.'
  ),
  WHALE_MIN_NOTIONAL_USD: variable(
    number(0, 1_000_000_000_000),
    '100000',
    'Whale trade alert: smallest notional (price × quantity) of a trade on a USD-quoted pair (USD, USDT, USDC, …) that raises an alert; the floor of the rolling quantile (0 disables the rule).'
  ),
  WHALE_MIN_NOTIONAL_BY_SYMBOL: variable(
    symbolAmounts(1_000_000_000_000),
    '',
    'Per-pair whale thresholds in the pair’s quote currency, e.g. BTC/USD=250000,ETH/BTC=5 (pairs not quoted in USD need one).'
  ),
  WHALE_QUANTILE: variable(
    number(0, 0.99999),
    '0.999',
    'Whale trade alert: the threshold rises to this quantile of the notionals of the pair’s last WHALE_QUANTILE_WINDOW trades when that is above the floor (0: the fixed floor only).'
  ),
  WHALE_QUANTILE_WINDOW: variable(
    integer(100, 1_000_000),
    '5000',
    'Trades per pair the whale quantile is taken over.'
  ),
  NEWS_ARTICLE_FETCH: variable(
    feedSelection(),
    '*',
    'Feeds whose article pages are fetched for their main text: * (all), *,-name (all but these), none, or feed names.'
  ),
  NEWS_ARTICLE_USER_AGENT: variable(
    text(),
    'Mozilla/5.0 (compatible; crypto-viz/0.1; news reader; +https://github.com/crypto-viz)',
    'User-Agent of article page and robots.txt requests (its product token, crypto-viz, is what robots.txt rules are matched against).'
  ),
  NEWS_ARTICLE_TIMEOUT_MS: variable(
    integer(500, 120_000),
    '10000',
    'Time budget of one article page (redirects, headers and body together).'
  ),
  NEWS_ARTICLE_BUDGET_MS: variable(
    integer(1_000, 600_000),
    '30000',
    'Longest an article waits for its page (queue included) before it is published without it, marked skipped.'
  ),
  NEWS_ARTICLE_MAX_BYTES: variable(
    integer(10_000, 100_000_000),
    '3000000',
    'Largest article page read (decompressed bytes); a larger one is abandoned and the article marked failed.'
  ),
  NEWS_ARTICLE_MAX_REDIRECTS: variable(integer(0, 20), '5', 'Redirects followed per article page.'),
  NEWS_ARTICLE_CONCURRENCY: variable(
    integer(1, 64),
    '4',
    'Article pages fetched at once, all hosts together.'
  ),
  NEWS_ARTICLE_HOST_CONCURRENCY: variable(
    integer(1, 16),
    '1',
    'Article pages fetched at once from one host.'
  ),
  NEWS_ARTICLE_HOST_RATE_PER_MIN: variable(
    number(0.1, 6_000),
    '30',
    'Requests per minute to one host (token bucket; a robots.txt Crawl-delay can only slow it down).'
  ),
  NEWS_ARTICLE_HOST_BURST: variable(
    integer(1, 100),
    '3',
    'Requests one host may get back to back (token bucket size).'
  ),
  NEWS_ARTICLE_ALLOW_PRIVATE_HOSTS: variable(
    hostList(),
    '',
    'Hosts (host or host:port) article fetching may reach although they resolve to private or loopback addresses (a local mirror); replay and tests add their loopback server themselves.'
  )
} as const
