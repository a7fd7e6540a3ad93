-- Schema of the demo backend (PGlite, PostgreSQL 18 in WASM).
-- Idempotent, so that a persistent dataDir can be opened again.
-- gen_random_uuid() is in PostgreSQL core since 13 (checked on PGlite 0.5.16).

create table if not exists contacts (
  id uuid primary key default gen_random_uuid(),
  first_name text,
  last_name text,
  email text unique,
  company text,
  status text,
  created_at timestamptz not null default now()
);

create table if not exists opportunities (
  id bigserial primary key,
  name text not null,
  amount numeric(12, 2),
  stage text,
  contact_id uuid references contacts (id) on delete set null,
  products jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now()
);

create index if not exists opportunities_contact_id_idx on opportunities (contact_id);

create table if not exists segments (
  id bigserial primary key,
  name text unique not null
);

-- Replaces the products of one opportunity and returns the updated row
-- (no row when the opportunity does not exist).
create or replace function sync_opportunity_products(opportunity_id bigint, products jsonb)
returns opportunities
language sql
volatile
as $$
  update opportunities as o
     set products = coalesce(sync_opportunity_products.products, '[]'::jsonb)
   where o.id = sync_opportunity_products.opportunity_id
  returning o.*;
$$;

-- Returns the segment called segment_name, creating it first when needed.
-- Calling it twice with the same name returns the same id.
create or replace function get_or_create_segment(segment_name text)
returns segments
language plpgsql
volatile
as $$
declare
  found segments;
begin
  insert into segments (name) values (segment_name)
  on conflict (name) do nothing
  returning * into found;
  if found.id is null then
    select * into found from segments where name = segment_name;
  end if;
  return found;
end;
$$;
