/** The demo's records, as the embedded backend's schema (demo/server/schema.sql) defines them. */

export interface Contact {
  readonly id: string;
  readonly first_name: string | null;
  readonly last_name: string | null;
  readonly email: string | null;
  readonly company: string | null;
  readonly status: string | null;
  readonly created_at: string;
}

/** One line of an opportunity's `products` (jsonb). */
export interface Product {
  readonly sku: string;
  readonly quantity: number;
}

export interface Opportunity {
  readonly id: number;
  readonly name: string;
  readonly amount: number | string | null;
  readonly stage: string | null;
  readonly contact_id: string | null;
  readonly products: readonly Product[];
  readonly created_at: string;
}

export interface Segment {
  readonly id: number;
  readonly name: string;
}

/** The resources of the demo, in the order their circuits are shown. */
export const RESOURCES = ['contacts', 'opportunities', 'segments'] as const;

export const OPPORTUNITY_STAGES = ['qualification', 'proposal', 'won', 'lost'] as const;
