import type { PayoutItem, ProcessorPayout } from "../../domain/payout.js";
import { ImportError } from "../../errors/index.js";
import type { ProblemList } from "../problem-list.js";
import { atLine, RowProblem } from "../row-problem.js";
import type { ReportRow, RowReader, TotalRow } from "./rows.js";
import { shown } from "./values.js";

interface Building {
  readonly id: string;
  readonly currency: string;
  readonly line: number;
  readonly items: PayoutItem[];
  /** The latest payout date the item rows give. */
  date: string | null;
  total: TotalRow | null;
}

/**
 * Groups the rows into payouts, in the order the report first names them, and checks what the
 * rows cannot check alone: one currency a payout, line ids used once, a date for every payout,
 * and lines that add up to the payout's own net where the report states it. Problems go to
 * `problems` with the line they are on.
 */
export function assemblePayouts(
  rows: readonly ReportRow[],
  reader: RowReader,
  source: string,
  problems: ProblemList,
): ProcessorPayout[] {
  // With bad rows left out, a payout's sum says nothing: only the rows' own checks are worth telling.
  const sumsKnown = problems.count === 0;
  const building = new Map<string, Building>();
  const idLines = new Map<string, number>();
  for (const row of rows) {
    let payout = building.get(row.payoutId);
    if (payout === undefined) {
      payout = {
        id: row.payoutId,
        currency: row.currency,
        line: row.line,
        items: [],
        date: null,
        total: null,
      };
      building.set(row.payoutId, payout);
    }
    if (row.currency !== payout.currency) {
      problems.add(
        new ImportError(
          { file: source, line: row.line },
          `payout ${row.payoutId} is in ${payout.currency} (line ${payout.line}), this row in ${row.currency}`,
        ),
      );
      continue;
    }
    if (row.kind === "total") {
      // Square repeats the deposit's amount on each of its rows: the same again is no news.
      if (payout.total === null) payout.total = row;
      else if (payout.total.netMinor !== row.netMinor || payout.total.payoutDate !== row.payoutDate)
        problems.add(
          new ImportError(
            { file: source, line: row.line },
            `payout ${row.payoutId} is stated again, differently (first on line ${payout.total.line})`,
          ),
        );
      continue;
    }
    if (
      reader.uniqueIdLabel !== null &&
      repeated(row.item.id, row.line, idLines, reader.uniqueIdLabel, source, problems)
    )
      continue;
    payout.items.push(row.item);
    if (row.payoutDate !== null && (payout.date === null || row.payoutDate > payout.date))
      payout.date = row.payoutDate;
  }
  const payouts: ProcessorPayout[] = [];
  for (const payout of building.values()) {
    const done = finish(payout, reader, source, problems, sumsKnown);
    if (done !== undefined) payouts.push(done);
  }
  return payouts;
}

/** Whether `id` was on an earlier line (and so this row is a problem). */
function repeated(
  id: string,
  line: number,
  seen: Map<string, number>,
  label: string,
  source: string,
  problems: ProblemList,
): boolean {
  const earlier = seen.get(id);
  if (earlier === undefined) {
    seen.set(id, line);
    return false;
  }
  problems.add(() => atLine(source, line, new RowProblem(label, `is already on line ${earlier}`, id)));
  return true;
}

function finish(
  payout: Building,
  reader: RowReader,
  source: string,
  problems: ProblemList,
  sumsKnown: boolean,
): ProcessorPayout | undefined {
  const at = { file: source, line: payout.total?.line ?? payout.line };
  const date = payout.total?.payoutDate ?? payout.date;
  if (date === null) {
    problems.add(new ImportError(at, `payout ${payout.id} has no date`));
    return undefined;
  }
  let grossMinor = 0;
  let feeMinor = 0;
  for (const item of payout.items) {
    grossMinor += item.grossMinor;
    feeMinor += item.feeMinor;
  }
  const netMinor = grossMinor + feeMinor;
  if (!Number.isSafeInteger(netMinor)) {
    problems.add(new ImportError(at, `payout ${payout.id}: its lines add up past what bankrec can count`));
    return undefined;
  }
  const total = payout.total;
  if (sumsKnown && total !== null && total.netMinor !== netMinor) {
    const n = payout.items.length;
    problems.add(
      new ImportError(
        at,
        `payout ${payout.id}: its ${n} line${n === 1 ? "" : "s"} add up to ${shown(netMinor, payout.currency)}, ` +
          `not the payout's ${shown(total.netMinor, payout.currency)}; the report may be missing some of its lines`,
      ),
    );
    return undefined;
  }
  return {
    id: payout.id,
    processor: reader.processor,
    currency: payout.currency,
    date,
    netMinor,
    grossMinor,
    feeMinor,
    items: payout.items,
  };
}
