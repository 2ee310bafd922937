// A processor's payout report derived from a data set's truth, for bankrec's `--settlements FILE`:
// what a business downloads from Stripe (the "payout reconciliation" itemized export) and hands
// to its reconciler beside the bank feed and the ledger. One payout per truth group of kind
// `payout`: a `charge` line per sale and a `fee` line for the processor's fee.
//
// The report names the payout (its id and the day it reached the bank) and each sale's amount
// and day, but not the ledger's ids: a ledger does not record Stripe's balance transaction ids,
// so the engine has to find each sale by amount and date, as it would with a real export.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DatasetRows } from "./dataset-rows.js";
import type { Row } from "./upper-bound.js";

export const PAYOUT_REPORT_FILE = "payouts.csv";

export const PAYOUT_REPORT_HEADER = [
  "automatic_payout_id",
  "automatic_payout_effective_at",
  "balance_transaction_id",
  "created",
  "reporting_category",
  "gross",
  "fee",
  "net",
  "currency",
  "description",
] as const;

/** The report's text: a header, then each payout's lines (sales by day, then its fee). */
export function payoutReportCsv(rows: Pick<DatasetRows, "bank" | "expected" | "truth">): string {
  const payouts: { id: string; date: string; lines: string[] }[] = [];
  for (const group of rows.truth.groups) {
    if (group.kind !== "payout") continue;
    const bankRow = rows.bank.get(group.bank[0] ?? "");
    if (bankRow === undefined) continue;
    const entries = group.expected
      .map((id) => rows.expected.get(id))
      .filter((e) => e !== undefined)
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
    const payoutId = `po_${stableHash(bankRow.id)}`;
    const line = (e: Row, fields: readonly string[], description: string) =>
      [payoutId, bankRow.date, ...fields, e.currency.toLowerCase(), description].join(",");
    const lines = [
      ...entries
        .filter((e) => e.cents >= 0)
        .map((e) => {
          const gross = money(e.cents);
          return line(e, [`ch_${stableHash(e.id)}`, e.date, "charge", gross, money(0), gross], "");
        }),
      // Stripe's own fee lines carry a balance transaction id (txn_) and no charge
      ...entries
        .filter((e) => e.cents < 0)
        .map((e) =>
          line(
            e,
            [`txn_${stableHash(e.id)}`, e.date, "fee", money(0), money(-e.cents), money(e.cents)],
            "Processing fees",
          ),
        ),
    ];
    payouts.push({ id: payoutId, date: bankRow.date, lines });
  }
  payouts.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
  return [PAYOUT_REPORT_HEADER.join(","), ...payouts.flatMap((p) => p.lines)].join("\n") + "\n";
}

/** Writes payouts.csv into the data set's directory; returns its path. */
export function writePayoutReport(
  dir: string,
  rows: Pick<DatasetRows, "bank" | "expected" | "truth">,
): string {
  const path = join(dir, PAYOUT_REPORT_FILE);
  writeFileSync(path, payoutReportCsv(rows));
  return path;
}

/** 16 hex digits of SHA-256: the same id on every run, and no collision among a million payouts. */
export function stableHash(id: string): string {
  return createHash("sha256").update(id).digest("hex").slice(0, 16);
}

/** Integer cents as decimal major units: 1234 → 12.34, -5 → -0.05. */
function money(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}
