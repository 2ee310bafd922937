import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isoToDay } from "../reconcile/days.js";
import {
  pairTransfers,
  saysTransfer,
  TRANSFER_WINDOW_DAYS,
  type TransferCandidate,
  type TransferPair,
} from "./transfers.js";

const OWN = new Set(["chk", "sav", "card"]);

function row(fields: Partial<TransferCandidate> & Pick<TransferCandidate, "id">): TransferCandidate {
  return {
    accountId: "chk",
    amountMinor: -50_00,
    currency: "USD",
    date: "2026-03-10",
    category: "UNCATEGORIZED",
    description: "ONLINE TRANSFER TO SAVINGS",
    markTransfer: false,
    ...fields,
  };
}

/** Pairs as `out→in` strings, sorted: the result read as a set. */
function asSet(pairs: readonly TransferPair[]): string[] {
  return pairs.map((p) => `${p.outId}→${p.inId}`).sort();
}

describe("saysTransfer", () => {
  const plain = { category: "FOOD_AND_DRINK_COFFEE", description: "SQ *BLUE BOTTLE", markTransfer: false };

  test("a transfer or card payment category says so", () => {
    expect(saysTransfer({ ...plain, category: "TRANSFER_IN_ACCOUNT_TRANSFER" })).toBe(true);
    expect(saysTransfer({ ...plain, category: "TRANSFER_OUT_ACCOUNT_TRANSFER" })).toBe(true);
    expect(saysTransfer({ ...plain, category: "TRANSFER_IN" })).toBe(true);
    expect(saysTransfer({ ...plain, category: "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT" })).toBe(true);
  });

  test("a rule's mark says so", () => {
    expect(saysTransfer({ ...plain, markTransfer: true })).toBe(true);
  });

  test.each([
    "ONLINE TRANSFER TO SAV ...1234",
    "Xfer from checking",
    "PAYMENT THANK YOU",
    "PAYMENT THANKYOU",
    "AUTOPAY 260310",
    "CREDIT CARD PAYMENT",
    "ZELLE TO SELF",
  ])("the description %j says so", (description) => {
    expect(saysTransfer({ ...plain, description })).toBe(true);
  });

  test.each(["SQ *BLUE BOTTLE", "POS PURCHASE AMAZON", "INTERNATIONAL HOUSE OF PANCAKES", "TRANSFERWISE"])(
    "the description %j does not",
    (description) => {
      expect(saysTransfer({ ...plain, description })).toBe(false);
    },
  );

  test("other categories and plain descriptions do not", () => {
    expect(saysTransfer(plain)).toBe(false);
    expect(saysTransfer({ ...plain, category: "LOAN_PAYMENTS_MORTGAGE_PAYMENT" })).toBe(false);
    expect(saysTransfer({ ...plain, category: "UNCATEGORIZED" })).toBe(false);
  });
});

describe("pairTransfers", () => {
  const out = row({ id: "out", accountId: "chk", amountMinor: -50_00, date: "2026-03-10" });
  const arrived = row({
    id: "in",
    accountId: "sav",
    amountMinor: 50_00,
    date: "2026-03-12",
    description: "DEPOSIT",
  });

  test("pairs opposite amounts in two own accounts when one side says transfer", () => {
    expect(pairTransfers([out, arrived], OWN)).toEqual([{ outId: "out", inId: "in" }]);
    // Only the side money arrived on says it.
    const quietOut = { ...out, description: "WITHDRAWAL" };
    const loudIn = { ...arrived, category: "TRANSFER_IN_ACCOUNT_TRANSFER" };
    expect(pairTransfers([loudIn, quietOut], OWN)).toEqual([{ outId: "out", inId: "in" }]);
  });

  test("pairs at the edge of the window and not a day past it", () => {
    const edge = { ...arrived, date: "2026-03-15" };
    expect(isoToDay(edge.date) - isoToDay(out.date)).toBe(TRANSFER_WINDOW_DAYS);
    expect(pairTransfers([out, edge], OWN)).toHaveLength(1);
    expect(pairTransfers([out, { ...arrived, date: "2026-03-16" }], OWN)).toEqual([]);
    // Money may show up before it left, in the bank's dating.
    expect(pairTransfers([out, { ...arrived, date: "2026-03-05" }], OWN)).toHaveLength(1);
    expect(pairTransfers([out, { ...arrived, date: "2026-03-04" }], OWN)).toEqual([]);
  });

  test("the window can be given", () => {
    expect(pairTransfers([out, arrived], OWN, 1)).toEqual([]);
    expect(pairTransfers([out, arrived], OWN, 2)).toHaveLength(1);
  });

  test("does not pair two rows of one account", () => {
    expect(pairTransfers([out, { ...arrived, accountId: "chk" }], OWN)).toEqual([]);
  });

  test("does not pair different currencies or different amounts", () => {
    expect(pairTransfers([out, { ...arrived, currency: "EUR" }], OWN)).toEqual([]);
    expect(pairTransfers([out, { ...arrived, amountMinor: 50_01 }], OWN)).toEqual([]);
    expect(pairTransfers([out, { ...arrived, amountMinor: -50_00 }], OWN)).toEqual([]);
  });

  test("does not pair with an account that is not the owner's", () => {
    expect(pairTransfers([out, { ...arrived, accountId: "friend" }], OWN)).toEqual([]);
    expect(pairTransfers([{ ...out, accountId: "friend" }, arrived], OWN)).toEqual([]);
  });

  test("opposite amounts alone are not a transfer: a $50 sale and a $50 purchase", () => {
    const sale = row({
      id: "sale",
      accountId: "chk",
      amountMinor: 50_00,
      description: "SQ *CRAFT FAIR PAYOUT",
      category: "INCOME_OTHER",
    });
    const purchase = row({
      id: "purchase",
      accountId: "card",
      amountMinor: -50_00,
      description: "AMAZON MKTP",
      category: "GENERAL_MERCHANDISE_ONLINE_MARKETPLACES",
    });
    expect(pairTransfers([sale, purchase], OWN)).toEqual([]);
  });

  test("each row pairs once, with the closest date", () => {
    const far = { ...arrived, id: "far", date: "2026-03-14" };
    const near = { ...arrived, id: "near", date: "2026-03-11" };
    expect(pairTransfers([far, out, near], OWN)).toEqual([{ outId: "out", inId: "near" }]);
    // Two rows left for one arrival: the closer one takes it.
    const early = { ...out, id: "early", date: "2026-03-07" };
    expect(pairTransfers([early, out, { ...arrived, date: "2026-03-10" }], OWN)).toEqual([
      { outId: "out", inId: "in" },
    ]);
  });

  test("two transfers of one amount pair off by date", () => {
    const rows = [
      row({ id: "o1", date: "2026-03-01" }),
      row({ id: "o2", date: "2026-03-05" }),
      row({ id: "i2", accountId: "sav", amountMinor: 50_00, date: "2026-03-06" }),
      row({ id: "i1", accountId: "sav", amountMinor: 50_00, date: "2026-03-02" }),
    ];
    expect(asSet(pairTransfers(rows, OWN))).toEqual(["o1→i1", "o2→i2"]);
  });

  test("at the same distance, a pair where both sides say transfer wins", () => {
    const quiet = { ...arrived, id: "a-quiet", description: "DEPOSIT" };
    const loud = { ...arrived, id: "b-loud", description: "TRANSFER FROM CHECKING" };
    expect(pairTransfers([quiet, loud, out], OWN)).toEqual([{ outId: "out", inId: "b-loud" }]);
  });

  describe("over random rows", () => {
    const dates = fc.integer({ min: 0, max: 20 }).map((d) => `2026-03-${String(d + 1).padStart(2, "0")}`);
    const candidate = fc.record({
      accountId: fc.constantFrom("chk", "sav", "card", "friend"),
      amountMinor: fc.constantFrom(-50_00, 50_00, -25_00, 25_00, 0, -7),
      currency: fc.constantFrom("USD", "EUR"),
      date: dates,
      category: fc.constantFrom(
        "UNCATEGORIZED",
        "TRANSFER_IN_ACCOUNT_TRANSFER",
        "TRANSFER_OUT_ACCOUNT_TRANSFER",
        "LOAN_PAYMENTS_CREDIT_CARD_PAYMENT",
        "FOOD_AND_DRINK_COFFEE",
      ),
      description: fc.constantFrom("ONLINE TRANSFER", "DEPOSIT", "POS PURCHASE", "AUTOPAY"),
      markTransfer: fc.boolean(),
    });
    const rows = fc
      .array(candidate, { maxLength: 30 })
      .map((list) => list.map((r, i): TransferCandidate => ({ ...r, id: `t${i}` })));

    /** Whether two rows may be the two sides of one transfer, read from the module's header. */
    function mayPair(o: TransferCandidate, i: TransferCandidate): boolean {
      return (
        o.amountMinor < 0 &&
        i.amountMinor === -o.amountMinor &&
        o.currency === i.currency &&
        o.accountId !== i.accountId &&
        OWN.has(o.accountId) &&
        OWN.has(i.accountId) &&
        Math.abs(isoToDay(o.date) - isoToDay(i.date)) <= TRANSFER_WINDOW_DAYS &&
        (saysTransfer(o) || saysTransfer(i))
      );
    }

    test("the pairs do not depend on the input order", () => {
      fc.assert(
        fc.property(
          rows.chain((list) =>
            fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
          ),
          ([list, shuffled]) => {
            expect(asSet(pairTransfers(shuffled, OWN))).toEqual(asSet(pairTransfers(list, OWN)));
          },
        ),
        { numRuns: 500 },
      );
    });

    test("every pair meets the conditions, each row pairs once, and no possible pair is left unmade", () => {
      fc.assert(
        fc.property(rows, (list) => {
          const byId = new Map(list.map((r) => [r.id, r]));
          const pairs = pairTransfers(list, OWN);
          const seen = new Set<string>();
          for (const { outId, inId } of pairs) {
            const o = byId.get(outId);
            const i = byId.get(inId);
            expect(o !== undefined && i !== undefined && mayPair(o, i), `${outId}→${inId}`).toBe(true);
            expect(seen.has(outId) || seen.has(inId)).toBe(false);
            seen.add(outId);
            seen.add(inId);
          }
          for (const o of list)
            for (const i of list)
              if (mayPair(o, i)) expect(seen.has(o.id) || seen.has(i.id), `${o.id}→${i.id}`).toBe(true);
        }),
        { numRuns: 500 },
      );
    });
  });
});
