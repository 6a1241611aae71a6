-- Payments keeps the number of the order it is about on its own rows, so that its staff lists,
-- bank-statement matching and findings never read shop_orders (issue 11: one door per context).
-- The shop hands the number over when it opens a payment; rows from before are filled in here,
-- once (a migration may read across contexts, code may not).

alter table shop_payments add column order_number text;
update shop_payments p set order_number = o.number from shop_orders o where o.id = p.order_id;
alter table shop_payments add constraint shop_payments_order_number
  check ((purpose = 'order') = (order_number is not null));
create index shop_payments_order_number_idx on shop_payments (order_number, created_at desc)
  where order_number is not null;

alter table shop_reconciliation_issues add column order_number text;
update shop_reconciliation_issues i set order_number = o.number
  from shop_orders o where o.id = i.order_id;
