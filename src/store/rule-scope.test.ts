import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { storeCases } from "../../test/support/stores.js";
import { applyRules, type CategoryRule, compileRules, type RuleConditions } from "../categorize/index.js";
import { ruleScope } from "./rule-scope.js";
import type { NewTransactionRow } from "./schema.js";

const cases = await storeCases();

const WORDS = ["Coffee", "SQ *BLUE", "bottle", "Uber", "TRIP", "payroll", "ÉCOLE", "50%_off", "a\\b"];
const CURRENCIES = ["USD", "JPY", "BHD"];
const ACCOUNTS = ["chk", "sav", "card"];

const rowArb = fc.record({
  name: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }).map((w) => w.join(" ")),
  counterparty: fc.option(fc.constantFrom(...WORDS), { nil: null }),
  // Amounts at and beside the bounds below, in each currency's minor units.
  amountMinor: fc.constantFrom(
    -20_000,
    -10_001,
    -10_000,
    -1_000,
    -999,
    -10,
    0,
    1,
    10,
    999,
    1_000,
    1_001,
    10_000,
  ),
  currency: fc.constantFrom(...CURRENCIES),
  accountId: fc.constantFrom(...ACCOUNTS),
});

const amountText = fc.constantFrom("0.01", "0.1", "1", "9.99", "10", "10.0000", "10.01", "100", "999");

const conditionsArb: fc.Arbitrary<RuleConditions> = fc
  .record(
    {
      description: fc.record(
        { contains: fc.constantFrom(...WORDS).map((w) => w.toLowerCase()) },
        { requiredKeys: [] },
      ),
      counterparty: fc.record({ contains: fc.constantFrom(...WORDS) }),
      direction: fc.constantFrom("in" as const, "out" as const),
      amountMin: amountText,
      amountMax: amountText,
      currency: fc.constantFrom(...CURRENCIES),
      accountIds: fc.subarray(ACCOUNTS, { minLength: 1 }),
    },
    { requiredKeys: [] },
  )
  .map((c) => {
    const out: Record<string, unknown> = { ...c };
    if (c.description !== undefined && Object.keys(c.description).length === 0) delete out.description;
    return out as RuleConditions;
  });

describe.each(cases)("a rule's SQL scope on $dialect", (storeCase) => {
  afterAll(() => storeCase.cleanup());

  it.skipIf(!storeCase.available)(
    "holds for every row the rule matches, so a rule change never misses a row",
    async () => {
      const store = await storeCase.open();
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.array(rowArb, { minLength: 1, maxLength: 40 }),
            conditionsArb,
            async (rows, conditions) => {
              await store.db.deleteFrom("transactions").execute();
              const values: NewTransactionRow[] = rows.map((r, i) => ({
                id: `t${i}`,
                tenant_id: store.tenantId,
                item_id: null,
                account_id: r.accountId,
                source: "file",
                amount_minor: r.amountMinor,
                currency: r.currency,
                date: "2026-03-01",
                authorized_date: null,
                name: r.name,
                merchant_name: null,
                check_number: null,
                pending: 0,
                pending_transaction_id: null,
                payment_channel: null,
                pfc_primary: null,
                pfc_detailed: null,
                pfc_confidence: null,
                pfc_version: null,
                legacy_category_json: null,
                raw_json: "{}",
                first_seen_at: "2026-03-01T00:00:00Z",
                updated_at: "2026-03-01T00:00:00Z",
                removed_at: null,
                counterparty_name: r.counterparty,
              }));
              await store.db.insertInto("transactions").values(values).execute();
              const rule: CategoryRule = {
                id: "r",
                name: "r",
                position: 1,
                conditions,
                actions: { addTags: ["x"] },
              };
              const compiled = compileRules([rule]);
              const matched = rows
                .map((r, i) => ({ r, id: `t${i}` }))
                .filter(({ r }) =>
                  applyRules(compiled, {
                    description: r.name,
                    merchantName: null,
                    counterparty: r.counterparty,
                    accountId: r.accountId,
                    amountMinor: r.amountMinor,
                    currency: r.currency,
                    baseCategory: "UNCATEGORIZED",
                  }).ruleIds.includes("r"),
                )
                .map(({ id }) => id);
              const where = ruleScope(rule, CURRENCIES) ?? sql`1 = 1`;
              const selected = await sql<{ id: string }>`select id from transactions where ${where}`.execute(
                store.db,
              );
              const inScope = new Set(selected.rows.map((row) => row.id));
              expect(matched.filter((id) => !inScope.has(id))).toEqual([]);
            },
          ),
          { numRuns: storeCase.dialect === "sqlite" ? 300 : 60 },
        );
      } finally {
        await store.close();
      }
    },
  );
});
