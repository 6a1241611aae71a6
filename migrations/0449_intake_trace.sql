-- Lineage asks which tank receipt made an intake lot (services/intake/trace.ts).
create index intake_tank_receipts_lot_idx on intake_tank_receipts (lot_id) where lot_id is not null;
create index intake_point_lots_lot_idx on intake_point_lots (lot_id);
