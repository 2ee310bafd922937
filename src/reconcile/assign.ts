/**
 * Globally optimal one-to-one assignment with "leave unmatched" allowed: among candidate pairs
 * with positive weights, choose disjoint pairs whose total weight is largest (maximum-weight
 * bipartite matching). Greedy matching picks the best-looking pair first and can strand two
 * rows that each had a good partner; this does not.
 *
 * The candidate graph splits into connected components (rows that compete for each other);
 * each is solved on its own by successive shortest augmenting paths with potentials
 * (min-cost flow), which stops as soon as no augmenting path improves the total.
 */

import { Marks } from "./marks.js";
import { IntList } from "./scratch-lists.js";

export interface WeightedEdges {
  readonly left: readonly number[];
  readonly right: readonly number[];
  /** > 0; pairs not worth matching should not be passed at all. */
  readonly weight: readonly number[];
  /**
   * Optional tier per edge (0 first). Only used when a component is too large to solve
   * exactly in reasonable time: then tier 0 is solved first and tier 1 on the rows left.
   */
  readonly tier?: readonly number[];
}

/** Components with more edges than this are solved tier by tier (see `tier`). */
export const COMPONENT_EXACT_EDGES_MAX = 20_000;

/**
 * @returns the indices of the chosen edges, ascending.
 * @example maxWeightMatching({ left: [0, 0, 1], right: [0, 1, 0], weight: [5, 4, 4] }) // [1, 2]
 */
export function maxWeightMatching(edges: WeightedEdges): number[] {
  const { chosen, open } = fixDominantEdges(edges);
  for (const component of splitComponents(edges, open)) {
    if (component.length === 1) chosen.push(component[0]!);
    else if (component.length <= COMPONENT_EXACT_EDGES_MAX || edges.tier === undefined) {
      for (const e of solveComponent(edges, component)) chosen.push(e);
    } else for (const e of solveByTier(edges, component)) chosen.push(e);
  }
  return chosen.sort((a, b) => a - b);
}

/**
 * A component too large for the exact solver: solve the first tier's edges (their own, smaller
 * components) exactly, then the next tier's among the rows still free.
 */
function solveByTier(edges: WeightedEdges, component: readonly number[]): number[] {
  const chosen: number[] = [];
  const usedLeft = new Set<number>();
  const usedRight = new Set<number>();
  for (const tier of [0, 1]) {
    const subset = component.filter(
      (e) =>
        (edges.tier![e] === tier || (tier === 1 && edges.tier![e]! > 1)) &&
        !usedLeft.has(edges.left[e]!) &&
        !usedRight.has(edges.right[e]!),
    );
    const open = new Uint8Array(edges.weight.length);
    for (const e of subset) open[e] = 1;
    for (const part of splitComponents(edges, open)) {
      const picked = part.length === 1 ? part : solveComponent(edges, part);
      for (const e of picked) {
        chosen.push(e);
        usedLeft.add(edges.left[e]!);
        usedRight.add(edges.right[e]!);
      }
    }
  }
  return chosen;
}

/**
 * Takes the edges that are in an optimal matching whatever the rest of the graph: an edge at
 * least as heavy as the best rival at its left node plus the best rival at its right node
 * (swapping it in for those two can only gain). Most real candidate pairs are like this, so
 * the components left for the exact solver shrink from thousands of rows to a handful.
 */
function fixDominantEdges(edges: WeightedEdges): { chosen: number[]; open: Uint8Array } {
  const n = edges.weight.length;
  const open = new Uint8Array(n).fill(1);
  const weight = Float64Array.from(edges.weight);
  const byLeft = new Adjacency(edges.left);
  const byRight = new Adjacency(edges.right);
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => weight[b]! - weight[a]! || a - b);
  const chosen: number[] = [];
  const scan = (side: Adjacency, node: number, self: number) => {
    let best = 0;
    for (let k = side.start[node]!; k < side.start[node + 1]!; k++) {
      const e = side.edges[k]!;
      if (e !== self && open[e] === 1 && weight[e]! > best) best = weight[e]!;
    }
    return best;
  };
  // A node's two heaviest open edges, found once a pass: the best rival of an edge is then one
  // look-up, and a node is scanned again only when one of those two has closed since. (Scanning
  // every time costs the square of a node's degree, and a popular amount has thousands.)
  const topOf = (side: Adjacency, node: number) => {
    let first = -1;
    let second = -1;
    for (let k = side.start[node]!; k < side.start[node + 1]!; k++) {
      const e = side.edges[k]!;
      if (open[e] === 0) continue;
      if (first === -1 || weight[e]! > weight[first]!) {
        second = first;
        first = e;
      } else if (second === -1 || weight[e]! > weight[second]!) second = e;
    }
    side.first[node] = first;
    side.second[node] = second;
    side.found.mark(node);
  };
  const rival = (side: Adjacency, node: number, self: number) => {
    if (!side.found.has(node)) topOf(side, node);
    const first = side.first[node]!;
    const second = side.second[node]!;
    const other = first === self ? second : first;
    // No other edge was open when the pair was found, and edges only close.
    if (other === -1) return 0;
    // The pair still holds the heaviest rival while the edges it relies on are open.
    if (open[other] === 1 && (first === self || open[first] === 1)) return weight[other]!;
    return scan(side, node, self);
  };
  const close = (side: Adjacency, node: number) => {
    for (let k = side.start[node]!; k < side.start[node + 1]!; k++) open[side.edges[k]!] = 0;
  };
  // Fixing an edge removes its rivals, which can make other edges dominant: a few passes.
  for (let pass = 0, changed = true; changed && pass < DOMINANCE_PASSES_MAX; pass++) {
    changed = false;
    byLeft.found.clear();
    byRight.found.clear();
    for (let o = 0; o < n; o++) {
      const e = order[o]!;
      if (open[e] === 0) continue;
      const left = edges.left[e]!;
      const right = edges.right[e]!;
      if (weight[e]! < rival(byLeft, left, e) + rival(byRight, right, e)) continue;
      chosen.push(e);
      close(byLeft, left);
      close(byRight, right);
      changed = true;
    }
  }
  return { chosen, open };
}

/**
 * The edges at each node of one side, in edge order, as offsets into one typed array (nodes
 * are row indices, so they are small integers), with room for each node's two heaviest open
 * edges as fixDominantEdges last found them.
 */
class Adjacency {
  readonly start: Int32Array;
  readonly edges: Int32Array;
  readonly first: Int32Array;
  readonly second: Int32Array;
  /** Nodes whose two heaviest edges were found in this pass. */
  readonly found: Marks;

  constructor(nodes: readonly number[]) {
    let nodeMax = -1;
    for (const node of nodes) if (node > nodeMax) nodeMax = node;
    const size = nodeMax + 1;
    this.start = new Int32Array(size + 1);
    for (const node of nodes) this.start[node + 1]!++;
    for (let v = 0; v < size; v++) this.start[v + 1]! += this.start[v]!;
    const at = this.start.slice(0, size);
    this.edges = new Int32Array(nodes.length);
    for (let e = 0; e < nodes.length; e++) this.edges[at[nodes[e]!]!++] = e;
    this.first = new Int32Array(size);
    this.second = new Int32Array(size);
    this.found = new Marks(size);
  }
}

const DOMINANCE_PASSES_MAX = 8;

/**
 * Groups the open edges by connected component (union-find over both sides' nodes, in typed
 * arrays: nodes are row indices), components in the order of their first edge, each one's
 * edges ascending.
 */
function splitComponents(edges: WeightedEdges, open: Uint8Array): number[][] {
  let leftMax = -1;
  let rightMax = -1;
  for (let i = 0; i < edges.left.length; i++) {
    if (open[i] === 0) continue;
    if (edges.left[i]! > leftMax) leftMax = edges.left[i]!;
    if (edges.right[i]! > rightMax) rightMax = edges.right[i]!;
  }
  // Left node l is l, right node r is leftMax + 1 + r.
  const parent = Int32Array.from({ length: leftMax + rightMax + 2 }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      const up = parent[parent[x]!]!;
      parent[x] = up;
      x = up;
    }
    return x;
  };
  for (let i = 0; i < edges.left.length; i++) {
    if (open[i] === 0) continue;
    const a = find(edges.left[i]!);
    const b = find(leftMax + 1 + edges.right[i]!);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const slot = new Int32Array(parent.length).fill(-1);
  const components: number[][] = [];
  for (let i = 0; i < edges.left.length; i++) {
    if (open[i] === 0) continue;
    const root = find(edges.left[i]!);
    if (slot[root] === -1) {
      slot[root] = components.length;
      components.push([]);
    }
    components[slot[root]!]!.push(i);
  }
  return components;
}

/** Residual network of one component: s → left → right → t, unit capacities. */
class FlowNetwork {
  readonly head: number[];
  readonly to: number[] = [];
  readonly cap: number[] = [];
  readonly cost: number[] = [];
  readonly next: number[] = [];

  constructor(readonly size: number) {
    this.head = new Array<number>(size).fill(-1);
  }

  add(from: number, to: number, cost: number): number {
    const arc = this.to.length;
    this.push(from, to, 1, cost);
    this.push(to, from, 0, -cost);
    return arc;
  }

  private push(from: number, to: number, cap: number, cost: number): void {
    this.to.push(to);
    this.cap.push(cap);
    this.cost.push(cost);
    this.next.push(this.head[from]!);
    this.head[from] = this.to.length - 1;
  }
}

function solveComponent(edges: WeightedEdges, component: readonly number[]): number[] {
  const leftLocal = new Map<number, number>();
  const rightLocal = new Map<number, number>();
  for (const e of component) {
    if (!leftLocal.has(edges.left[e]!)) leftLocal.set(edges.left[e]!, leftLocal.size);
    if (!rightLocal.has(edges.right[e]!)) rightLocal.set(edges.right[e]!, rightLocal.size);
  }
  const nLeft = leftLocal.size;
  const nRight = rightLocal.size;
  const source = 0;
  const sink = nLeft + nRight + 1;
  const net = new FlowNetwork(nLeft + nRight + 2);
  const potential = new Array<number>(net.size).fill(0);
  for (let l = 0; l < nLeft; l++) net.add(source, 1 + l, 0);
  const arcOfEdge = component.map((e) => {
    const l = 1 + leftLocal.get(edges.left[e]!)!;
    const r = 1 + nLeft + rightLocal.get(edges.right[e]!)!;
    potential[r] = Math.min(potential[r]!, -edges.weight[e]!);
    return net.add(l, r, -edges.weight[e]!);
  });
  for (let r = 0; r < nRight; r++) net.add(1 + nLeft + r, sink, 0);
  for (let r = 0; r < nRight; r++) potential[sink] = Math.min(potential[sink]!, potential[1 + nLeft + r]!);
  augmentWhileProfitable(net, potential, source, sink);
  const chosen: number[] = [];
  for (let k = 0; k < component.length; k++) if (net.cap[arcOfEdge[k]!] === 0) chosen.push(component[k]!);
  return chosen;
}

/**
 * Dijkstra's scratch space, shared by every component: most components have a handful of
 * nodes, and fresh typed arrays per component cost more than solving it. Between uses every
 * entry is at rest (infinite distance, no arc): each search resets exactly what it touched.
 */
const scratch = {
  dist: new Float64Array(0),
  viaArc: new Int32Array(0),
  touched: null as IntList | null,
  heap: null as MinHeap | null,
};

function scratchFor(n: number): { dist: Float64Array; viaArc: Int32Array; touched: IntList; heap: MinHeap } {
  if (scratch.dist.length < n) {
    const size = Math.max(n, scratch.dist.length * 2, 64);
    scratch.dist = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
    scratch.viaArc = new Int32Array(size).fill(-1);
  }
  scratch.heap ??= new MinHeap();
  scratch.touched ??= new IntList();
  scratch.touched.count = 0;
  return { dist: scratch.dist, viaArc: scratch.viaArc, touched: scratch.touched, heap: scratch.heap };
}

function augmentWhileProfitable(net: FlowNetwork, potential: number[], source: number, sink: number): void {
  const n = net.size;
  const { dist, viaArc, touched, heap } = scratchFor(n);
  // Each augmentation matches one more pair; there can be no more than the smaller side.
  for (let round = 0; round < n; round++) {
    shortestPath(net, potential, source, sink, dist, viaArc, touched, heap);
    const reached = dist[sink]!;
    const pathCost = reached + potential[sink]! - potential[source]!;
    if (reached !== Number.POSITIVE_INFINITY && pathCost < -1e-9) {
      // Johnson's update with the search stopped at the sink: nodes settled nearer than the
      // sink move by their distance, the rest by the sink's; subtracting the sink's distance
      // from every potential (which changes no reduced cost) leaves only the settled to touch.
      for (let t = 0; t < touched.count; t++) {
        const v = touched.at(t);
        if (dist[v]! < reached) potential[v]! -= reached - dist[v]!;
      }
      for (let v = sink; v !== source; ) {
        const arc = viaArc[v]!;
        net.cap[arc]!--;
        net.cap[arc ^ 1]!++;
        v = net.to[arc ^ 1]!;
      }
    }
    for (let t = 0; t < touched.count; t++) {
      const v = touched.at(t);
      dist[v] = Number.POSITIVE_INFINITY;
      viaArc[v] = -1;
    }
    touched.count = 0;
    if (reached === Number.POSITIVE_INFINITY || pathCost >= -1e-9) return;
  }
}

/**
 * Dijkstra on reduced costs (non-negative thanks to the potentials), with a binary heap,
 * stopped when the sink is settled: an augmentation needs only the shortest path to it.
 * Every node whose distance is set is listed in `touched`, so the caller resets only those.
 */
function shortestPath(
  net: FlowNetwork,
  potential: number[],
  source: number,
  sink: number,
  dist: Float64Array,
  viaArc: Int32Array,
  touched: IntList,
  heap: MinHeap,
): void {
  heap.clear();
  dist[source] = 0;
  touched.push(source);
  heap.push(0, source);
  while (heap.size > 0) {
    const d = heap.topKey();
    const u = heap.pop();
    if (d > dist[u]!) continue;
    if (u === sink) return;
    for (let arc = net.head[u]!; arc !== -1; arc = net.next[arc]!) {
      if (net.cap[arc] === 0) continue;
      const v = net.to[arc]!;
      const reduced = net.cost[arc]! + potential[u]! - potential[v]!;
      const nd = d + Math.max(0, reduced);
      if (nd < dist[v]! - 1e-12) {
        if (dist[v] === Number.POSITIVE_INFINITY) touched.push(v);
        dist[v] = nd;
        viaArc[v] = arc;
        heap.push(nd, v);
      }
    }
  }
}

/**
 * A binary min-heap of (key, node) in typed arrays that only ever grow: it is cleared for every
 * Dijkstra run, and a JS array truncated to length 0 gives its storage back, to be allocated
 * again by the next run's pushes.
 */
class MinHeap {
  private keys = new Float64Array(64);
  private values = new Int32Array(64);
  size = 0;
  clear(): void {
    this.size = 0;
  }
  topKey(): number {
    return this.keys[0]!;
  }
  push(key: number, value: number): void {
    if (this.size === this.keys.length) this.grow();
    const keys = this.keys;
    const values = this.values;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p]! <= key) break;
      keys[i] = keys[p]!;
      values[i] = values[p]!;
      i = p;
    }
    keys[i] = key;
    values[i] = value;
  }
  pop(): number {
    const keys = this.keys;
    const values = this.values;
    const top = values[0]!;
    const n = --this.size;
    const lastKey = keys[n]!;
    const lastValue = values[n]!;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && keys[c + 1]! < keys[c]!) c++;
        if (keys[c]! >= lastKey) break;
        keys[i] = keys[c]!;
        values[i] = values[c]!;
        i = c;
      }
      keys[i] = lastKey;
      values[i] = lastValue;
    }
    return top;
  }
  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    const values = new Int32Array(this.values.length * 2);
    keys.set(this.keys);
    values.set(this.values);
    this.keys = keys;
    this.values = values;
  }
}
