import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ChangeLog, decodeCursor, encodeCursor } from "./change-log.js";
import { buildTransaction } from "./transaction.js";

function transaction(id: string, amountCents = 100) {
  return buildTransaction({
    transactionId: id,
    accountId: "acc",
    amountCents,
    date: "2026-06-01",
    pending: false,
    name: "x",
    descriptor: "X",
    primary: "GENERAL_SERVICES",
    detailed: "GENERAL_SERVICES_OTHER_GENERAL_SERVICES",
    channel: "other",
  });
}

describe("cursors", () => {
  test("encode and decode round-trip", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9]{1,40}$/),
        fc.nat(),
        fc.option(fc.nat(), { nil: null }),
        (itemId, position, end) => {
          expect(decodeCursor(encodeCursor({ itemId, position, end }))).toEqual({ itemId, position, end });
        },
      ),
    );
  });

  test("strings that are not cursors decode to null", () => {
    for (const text of [
      "",
      "!!",
      Buffer.from("v2:a:1:").toString("base64url"),
      Buffer.from("v1:a:x:").toString("base64url"),
    ]) {
      expect(decodeCursor(text)).toBeNull();
    }
  });
});

describe("net changes of a log slice", () => {
  test("added then modified is one added with the latest state; added then removed is a removal", () => {
    const log = new ChangeLog();
    log.add(transaction("a", 100));
    log.add(transaction("b"));
    log.modify(transaction("a", 250));
    log.remove("b");
    const net = log.net(0, log.length);
    expect(net.added.map((t) => [t.transaction_id, t.amount])).toEqual([["a", 2.5]]);
    expect(net.modified).toEqual([]);
    expect(net.removed).toEqual([{ transaction_id: "b", account_id: "acc" }]);
    expect(log.net(2, log.length).modified.map((t) => t.transaction_id)).toEqual(["a"]);
  });
});
