-- The news moves that exchange minutes written late can change, found by symbol and window end
-- (writers/impact.ts, reopenImpactOver): the pending index covers only rows not final yet.
create index article_impact_symbol_window on article_impact (symbol, window_end);
