import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maxWeightMatching, type WeightedEdges } from "./assign.js";

interface Graph {
  readonly left: number[];
  readonly right: number[];
  readonly weight: number[];
}

/** Largest total weight over every matching, the empty one included, by plain enumeration. */
function bruteForceBest(graph: Graph): number {
  const lefts = [...new Set(graph.left)];
  const usedRight = new Set<number>();
  const visit = (k: number): number => {
    if (k === lefts.length) return 0;
    let best = visit(k + 1);
    for (let e = 0; e < graph.left.length; e++) {
      if (graph.left[e] !== lefts[k] || usedRight.has(graph.right[e]!)) continue;
      usedRight.add(graph.right[e]!);
      best = Math.max(best, graph.weight[e]! + visit(k + 1));
      usedRight.delete(graph.right[e]!);
    }
    return best;
  };
  return visit(0);
}

function totalOf(graph: WeightedEdges, chosen: readonly number[]): number {
  return chosen.reduce((s, e) => s + graph.weight[e]!, 0);
}

function expectValidMatching(graph: WeightedEdges, chosen: readonly number[]): void {
  const lefts = new Set<number>();
  const rights = new Set<number>();
  for (const e of chosen) {
    expect(e).toBeGreaterThanOrEqual(0);
    expect(e).toBeLessThan(graph.weight.length);
    expect(lefts.has(graph.left[e]!)).toBe(false);
    expect(rights.has(graph.right[e]!)).toBe(false);
    lefts.add(graph.left[e]!);
    rights.add(graph.right[e]!);
  }
  expect([...chosen]).toEqual([...chosen].sort((a, b) => a - b));
}

/** Weights drawn so that ties are common: small integers, halves, and arbitrary fractions. */
const weightArb = fc.oneof(
  fc.integer({ min: 1, max: 4 }),
  fc.integer({ min: 1, max: 8 }).map((n) => n / 2),
  fc.double({ min: 0.01, max: 100, noNaN: true, noDefaultInfinity: true }),
);

/**
 * A random bipartite graph with at most 6 nodes a side: a random subset of the possible pairs,
 * in random order, with node labels that are sparse (as the engine's row indices are).
 */
const graphArb: fc.Arbitrary<Graph> = fc
  .record({
    nLeft: fc.integer({ min: 1, max: 6 }),
    nRight: fc.integer({ min: 1, max: 6 }),
    labelStride: fc.integer({ min: 1, max: 7 }),
  })
  .chain(({ nLeft, nRight, labelStride }) => {
    const pairs: [number, number][] = [];
    for (let l = 0; l < nLeft; l++) for (let r = 0; r < nRight; r++) pairs.push([l, r]);
    return fc
      .tuple(fc.subarray(pairs), fc.array(weightArb, { minLength: pairs.length, maxLength: pairs.length }))
      .chain(([subset, weights]) =>
        fc.shuffledSubarray(
          subset.map((p, i) => ({ p, w: weights[i]! })),
          { minLength: subset.length, maxLength: subset.length },
        ),
      )
      .map((edges) => ({
        left: edges.map(({ p }) => p[0] * labelStride + 3),
        right: edges.map(({ p }) => p[1] * labelStride),
        weight: edges.map(({ w }) => w),
      }));
  });

describe("maxWeightMatching", () => {
  it("returns the example from its documentation", () => {
    expect(maxWeightMatching({ left: [0, 0, 1], right: [0, 1, 0], weight: [5, 4, 4] })).toEqual([1, 2]);
  });

  it("returns nothing for a graph without edges", () => {
    expect(maxWeightMatching({ left: [], right: [], weight: [] })).toEqual([]);
  });

  it("prefers two good pairs over one best-looking pair that strands both rows", () => {
    // Greedy takes (0,0) = 10 and stops; the optimum is (0,1) + (1,0) = 9 + 9.
    const chosen = maxWeightMatching({ left: [0, 0, 1], right: [0, 1, 0], weight: [10, 9, 9] });
    expect(chosen).toEqual([1, 2]);
  });

  it("reaches the brute-force maximum total weight on hundreds of random small graphs", () => {
    fc.assert(
      fc.property(graphArb, (graph) => {
        const chosen = maxWeightMatching(graph);
        expectValidMatching(graph, chosen);
        expect(totalOf(graph, chosen)).toBeCloseTo(bruteForceBest(graph), 6);
      }),
      { numRuns: 400, seed: 20250304 },
    );
  });

  it("reaches the brute-force maximum when every weight ties", () => {
    fc.assert(
      fc.property(graphArb, (graph) => {
        const tied = { ...graph, weight: graph.weight.map(() => 1) };
        const chosen = maxWeightMatching(tied);
        expectValidMatching(tied, chosen);
        expect(totalOf(tied, chosen)).toBe(bruteForceBest(tied));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("never chooses two edges that share a left or a right node", () => {
    fc.assert(
      fc.property(graphArb, (graph) => {
        expectValidMatching(graph, maxWeightMatching(graph));
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it("solves disjoint graphs independently: the answer on their union is the union of the answers", () => {
    fc.assert(
      fc.property(graphArb, graphArb, (a, b) => {
        const offset = 1000;
        const union: Graph = {
          left: [...a.left, ...b.left.map((l) => l + offset)],
          right: [...a.right, ...b.right.map((r) => r + offset)],
          weight: [...a.weight, ...b.weight],
        };
        const expected = [...maxWeightMatching(a), ...maxWeightMatching(b).map((e) => e + a.weight.length)];
        const chosen = maxWeightMatching(union);
        expect(chosen).toEqual(expected);
        expect(totalOf(union, chosen)).toBeCloseTo(bruteForceBest(a) + bruteForceBest(b), 6);
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  it("gives the optimal total when two disjoint graphs' edges are interleaved", () => {
    fc.assert(
      fc.property(graphArb, graphArb, (a, b) => {
        const union: Graph = { left: [], right: [], weight: [] };
        const n = Math.max(a.weight.length, b.weight.length);
        for (let i = 0; i < n; i++) {
          if (i < a.weight.length) {
            union.left.push(a.left[i]!);
            union.right.push(a.right[i]!);
            union.weight.push(a.weight[i]!);
          }
          if (i < b.weight.length) {
            union.left.push(b.left[i]! + 1000);
            union.right.push(b.right[i]! + 1000);
            union.weight.push(b.weight[i]!);
          }
        }
        const chosen = maxWeightMatching(union);
        expectValidMatching(union, chosen);
        expect(totalOf(union, chosen)).toBeCloseTo(bruteForceBest(a) + bruteForceBest(b), 6);
      }),
      { numRuns: 300, seed: 17 },
    );
  });
});
