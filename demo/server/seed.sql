-- Demo data: a handful of contacts, opportunities and segments.
-- Run only on empty tables (createBackend checks), after schema.sql.

insert into contacts (id, first_name, last_name, email, company, status) values
  ('00000000-0000-4000-8000-000000000001', 'Ada', 'Lovelace', 'ada@example.com', 'Analytical Engines', 'customer'),
  ('00000000-0000-4000-8000-000000000002', 'Grace', 'Hopper', 'grace@example.com', 'Compilers Inc', 'customer'),
  ('00000000-0000-4000-8000-000000000003', 'Alan', 'Turing', 'alan@example.com', 'Bletchley Labs', 'lead'),
  ('00000000-0000-4000-8000-000000000004', 'Edsger', 'Dijkstra', 'edsger@example.com', 'Shortest Paths BV', 'lead'),
  ('00000000-0000-4000-8000-000000000005', 'Barbara', 'Liskov', 'barbara@example.com', 'Substitution Co', 'prospect'),
  ('00000000-0000-4000-8000-000000000006', 'Donald', 'Knuth', 'donald@example.com', 'TeX Works', 'prospect')
on conflict do nothing;

insert into opportunities (name, amount, stage, contact_id, products) values
  ('Difference engine retrofit', 12000.00, 'won', '00000000-0000-4000-8000-000000000001',
   '[{"sku": "DE-1", "quantity": 1}]'),
  ('COBOL training', 4500.50, 'proposal', '00000000-0000-4000-8000-000000000002',
   '[{"sku": "TRN-COBOL", "quantity": 12}]'),
  ('Enigma audit', 8000.00, 'qualification', '00000000-0000-4000-8000-000000000003', '[]'),
  ('Routing consultancy', 2300.00, 'lost', '00000000-0000-4000-8000-000000000004', '[]'),
  ('Type system review', 6100.00, 'proposal', '00000000-0000-4000-8000-000000000005',
   '[{"sku": "REV-TYPES", "quantity": 1}]'),
  ('Typesetting licences', 990.00, 'won', '00000000-0000-4000-8000-000000000006',
   '[{"sku": "TEX-LIC", "quantity": 10}]');

insert into segments (name) values ('customers'), ('leads'), ('newsletter')
on conflict do nothing;
