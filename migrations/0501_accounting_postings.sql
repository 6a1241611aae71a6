-- Accounts the postings from operations need (issue 13 §2): goods received not invoiced (the
-- purchase receipt's credit, cleared by the approved supplier bill) and the purchase price
-- difference (the bill's net against the order's price for what was received).
insert into acc_accounts (code, name_en, name_bn, type, is_group, parent_id) values
  ('2140', 'Goods received not invoiced', 'প্রাপ্ত পণ্য, বিল আসেনি', 'liability', false,
   (select id from acc_accounts where code = '2100')),
  ('5130', 'Purchase price differences', 'ক্রয়মূল্যের পার্থক্য', 'expense', false,
   (select id from acc_accounts where code = '5000'))
on conflict (code) do nothing;
