/**
 * The words the server and the dashboard share, each list written once. Plain constants that import
 * nothing, so the browser bundle may take them as values; the rest of the contract it takes as types.
 */

/** Candle, indicator, pressure and sentiment bucket widths. */
export const Intervals = ['1m', '5m', '15m', '1h', '1d'] as const
export type Interval = (typeof Intervals)[number]

/** Alert severities, least urgent first. */
export const Severities = ['info', 'warning', 'critical'] as const
export type Severity = (typeof Severities)[number]

/** A pipeline stage's or a process's state in GET /api/pipeline and the health reports. */
export const StageStatuses = ['up', 'degraded', 'down'] as const
export type StageStatus = (typeof StageStatuses)[number]

/** The taker's side of a trade. */
export const TradeSides = ['buy', 'sell'] as const

export const SentimentLabels = ['positive', 'neutral', 'negative'] as const

/** Where a candle comes from: the pipeline's trades, or the exchange's own OHLC. */
export const CandleSources = ['trades', 'exchange'] as const

/** How an article's main text was obtained. */
export const ExtractionStatuses = ['extracted', 'feed', 'failed', 'skipped'] as const

/** A producer's connection to its source, as the pipeline status shows it. */
export const SourceStates = ['connected', 'connecting', 'reconnecting', 'unreachable', 'degraded'] as const

/** Live data, or bundled data replayed through the in-process fake servers. */
export const SourceModes = ['live', 'replay'] as const

/** How long after an article its market move is measured (docs/impact.md). */
export const ImpactHorizons = ['5m', '30m', '2h', '24h'] as const
export type ImpactHorizon = (typeof ImpactHorizons)[number]
