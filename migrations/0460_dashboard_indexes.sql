-- The back office's home page (/admin) asks payments for the money received on one Dhaka day and
-- for the cash riders collected and did not hand in over the reconciliation screen's last days:
-- indexes by those days, so the figures do not grow with the years of history behind them.
create index shop_payments_completed_idx on shop_payments (completed_at)
  where status = 'succeeded';
create index shop_cod_collections_day_idx on shop_cod_collections (collected_on);
create index shop_cod_handins_day_idx on shop_cod_handins (handed_on);
