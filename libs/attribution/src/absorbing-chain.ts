import { AttributionError } from './errors';

/**
 * An absorbing Markov chain over transient states 0..n-1 (0 is `start`), with two absorbing
 * states left implicit: `conversion` and `null` (whatever probability a row does not spend
 * on transient states or on conversion goes to null). Transitions are in compressed rows.
 */
export interface AbsorbingChain {
  readonly stateCount: number;
  /** Row s's transitions are edgeTarget/edgeProbability[rowStart[s] .. rowStart[s + 1]). */
  readonly rowStart: Int32Array;
  readonly edgeTarget: Int32Array;
  readonly edgeProbability: Float64Array;
  /** P(s → conversion). */
  readonly conversion: Float64Array;
  /** P(s → conversion) × the value a conversion from s is worth. */
  readonly conversionValue: Float64Array;
}

/** From `start`: the probability of reaching conversion, and the expected value reached. */
export interface Absorption {
  readonly conversion: number;
  readonly value: number;
}

interface Solution {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

export interface SolverOptions {
  /** Strongly connected parts up to this many states are solved by elimination, larger ones iteratively. */
  readonly denseLimit?: number;
}

// Elimination costs n^3/3 per part: about 3 million operations at 200 states, where a few
// hundred Gauss-Seidel sweeps over the sparse rows start to cost less.
const DEFAULT_DENSE_LIMIT = 200;
// Below double resolution for numbers near 1: a sweep that moves nothing more is a fixed point.
const TOLERANCE = 2 ** -54;
const MAX_SWEEPS = 100_000;

/**
 * Solves x = Qx + b for the absorption probability (b = P(s → conversion)) and the expected
 * value (b = P(s → conversion) × value) by strongly connected parts, sinks first, so that each
 * part sees its successors solved: acyclic stretches cost one pass. A part is solved by
 * Gaussian elimination with partial pivoting when small, else by Gauss-Seidel sweeps to a
 * fixed point; both are deterministic. `solve(removed)` sends the removed states to null and
 * re-solves only the parts that can reach one of them; the others keep the full chain's values.
 */
export class AbsorptionSolver {
  private readonly parts: number[][];
  private readonly partOf: Int32Array;
  private readonly reverseStart: Int32Array;
  private readonly reverseSource: Int32Array;
  private readonly denseLimit: number;
  private readonly valueScale: number;
  private readonly full: Solution;

  constructor(
    private readonly chain: AbsorbingChain,
    options: SolverOptions = {},
  ) {
    this.denseLimit = options.denseLimit ?? DEFAULT_DENSE_LIMIT;
    this.parts = stronglyConnectedParts(chain);
    this.partOf = new Int32Array(chain.stateCount);
    this.parts.forEach((part, index) => part.forEach((state) => (this.partOf[state] = index)));
    [this.reverseStart, this.reverseSource] = reversed(chain);
    this.valueScale = largestConversionValue(chain);
    this.full = this.solveParts(new Uint8Array(chain.stateCount), null, null);
  }

  solve(removed?: Uint8Array): Absorption {
    const { x, y } = removed ? this.solveParts(removed, this.reaching(removed), this.full) : this.full;
    return { conversion: x[0], value: y[0] };
  }

  /** Parts with a state that can reach a removed state: only their values change. */
  private reaching(removed: Uint8Array): Uint8Array {
    const affected = new Uint8Array(this.parts.length);
    const seen = new Uint8Array(this.chain.stateCount);
    const queue: number[] = [];
    removed.forEach((isRemoved, state) => {
      if (isRemoved) {
        seen[state] = 1;
        queue.push(state);
      }
    });
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      affected[this.partOf[state]] = 1;
      for (let edge = this.reverseStart[state]; edge < this.reverseStart[state + 1]; edge++) {
        const source = this.reverseSource[edge];
        if (!seen[source]) {
          seen[source] = 1;
          queue.push(source);
        }
      }
    }
    return affected;
  }

  /** With `affected`, parts not in it take their values from `known`, which also seeds the sweeps. */
  private solveParts(removed: Uint8Array, affected: Uint8Array | null, known: Solution | null): Solution {
    const n = this.chain.stateCount;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    this.parts.forEach((part, index) => {
      if (known && affected && !affected[index]) {
        for (const state of part) {
          x[state] = known.x[state];
          y[state] = known.y[state];
        }
        return;
      }
      const active = part.filter((state) => !removed[state]);
      if (active.length === 0) return;
      if (active.length <= this.denseLimit) this.eliminate(active, index, removed, x, y);
      else this.sweep(active, index, removed, x, y, known);
    });
    return { x, y };
  }

  /** b plus what the transitions to already-solved parts bring. */
  private externalTerms(state: number, part: number, x: Float64Array, y: Float64Array): [number, number] {
    const { rowStart, edgeTarget, edgeProbability, conversion, conversionValue } = this.chain;
    let bx = conversion[state];
    let by = conversionValue[state];
    for (let edge = rowStart[state]; edge < rowStart[state + 1]; edge++) {
      const target = edgeTarget[edge];
      if (this.partOf[target] !== part) {
        bx += edgeProbability[edge] * x[target];
        by += edgeProbability[edge] * y[target];
      }
    }
    return [bx, by];
  }

  private eliminate(active: number[], part: number, removed: Uint8Array, x: Float64Array, y: Float64Array): void {
    const { rowStart, edgeTarget, edgeProbability } = this.chain;
    const m = active.length;
    const local = new Map(active.map((state, index) => [state, index]));
    // Augmented rows [I − Q | bx by].
    const rows = active.map((state, row) => {
      const augmented = new Float64Array(m + 2);
      augmented[row] = 1;
      for (let edge = rowStart[state]; edge < rowStart[state + 1]; edge++) {
        const target = edgeTarget[edge];
        if (this.partOf[target] === part && !removed[target]) augmented[local.get(target) as number] -= edgeProbability[edge];
      }
      [augmented[m], augmented[m + 1]] = this.externalTerms(state, part, x, y);
      return augmented;
    });
    for (let column = 0; column < m; column++) {
      let pivot = column;
      for (let row = column + 1; row < m; row++) {
        if (Math.abs(rows[row][column]) > Math.abs(rows[pivot][column])) pivot = row;
      }
      [rows[column], rows[pivot]] = [rows[pivot], rows[column]];
      const pivotRow = rows[column];
      for (let row = column + 1; row < m; row++) {
        const target = rows[row];
        const factor = target[column] / pivotRow[column];
        if (factor === 0) continue;
        for (let k = column; k < m + 2; k++) target[k] -= factor * pivotRow[k];
      }
    }
    for (let row = m - 1; row >= 0; row--) {
      const current = rows[row];
      let sx = current[m];
      let sy = current[m + 1];
      for (let k = row + 1; k < m; k++) {
        sx -= current[k] * x[active[k]];
        sy -= current[k] * y[active[k]];
      }
      x[active[row]] = sx / current[row];
      y[active[row]] = sy / current[row];
    }
  }

  private sweep(active: number[], part: number, removed: Uint8Array, x: Float64Array, y: Float64Array, known: Solution | null): void {
    const { rowStart, edgeTarget, edgeProbability } = this.chain;
    const externalX = new Float64Array(active.length);
    const externalY = new Float64Array(active.length);
    active.forEach((state, index) => {
      [externalX[index], externalY[index]] = this.externalTerms(state, part, x, y);
      // The full chain's values are a close start: a removal moves most states a little.
      x[state] = known?.x[state] ?? 0;
      y[state] = known?.y[state] ?? 0;
    });
    for (let round = 0; round < MAX_SWEEPS; round++) {
      let change = 0;
      active.forEach((state, index) => {
        let sx = externalX[index];
        let sy = externalY[index];
        let stay = 0;
        for (let edge = rowStart[state]; edge < rowStart[state + 1]; edge++) {
          const target = edgeTarget[edge];
          if (this.partOf[target] !== part || removed[target]) continue;
          if (target === state) stay += edgeProbability[edge];
          else {
            sx += edgeProbability[edge] * x[target];
            sy += edgeProbability[edge] * y[target];
          }
        }
        sx /= 1 - stay;
        sy /= 1 - stay;
        change = Math.max(change, Math.abs(sx - x[state]), Math.abs(sy - y[state]) / this.valueScale);
        x[state] = sx;
        y[state] = sy;
      });
      if (change <= TOLERANCE) return;
    }
    throw new AttributionError('NOT_CONVERGED', `the Markov chain did not settle within ${MAX_SWEEPS} sweeps over ${active.length} states`);
  }
}

/** Tarjan's algorithm without recursion (a long path would overflow the stack); parts come sinks first. */
function stronglyConnectedParts(chain: AbsorbingChain): number[][] {
  const { stateCount, rowStart, edgeTarget } = chain;
  const order = new Int32Array(stateCount).fill(-1);
  const low = new Int32Array(stateCount);
  const cursor = new Int32Array(stateCount);
  const onStack = new Uint8Array(stateCount);
  const stack: number[] = [];
  const calls: number[] = [];
  const parts: number[][] = [];
  let counter = 0;
  const visit = (state: number) => {
    order[state] = low[state] = counter++;
    cursor[state] = rowStart[state];
    stack.push(state);
    onStack[state] = 1;
    calls.push(state);
  };
  for (let root = 0; root < stateCount; root++) {
    if (order[root] !== -1) continue;
    visit(root);
    while (calls.length > 0) {
      const state = calls[calls.length - 1];
      if (cursor[state] < rowStart[state + 1]) {
        const target = edgeTarget[cursor[state]++];
        if (order[target] === -1) visit(target);
        else if (onStack[target]) low[state] = Math.min(low[state], order[target]);
        continue;
      }
      calls.pop();
      if (calls.length > 0) {
        const caller = calls[calls.length - 1];
        low[caller] = Math.min(low[caller], low[state]);
      }
      if (low[state] === order[state]) {
        const part: number[] = [];
        let member: number;
        do {
          member = stack.pop() as number;
          onStack[member] = 0;
          part.push(member);
        } while (member !== state);
        parts.push(part.sort((a, b) => a - b));
      }
    }
  }
  return parts;
}

/** The most a conversion is worth from any state: the scale of the expected values. */
function largestConversionValue(chain: AbsorbingChain): number {
  let largest = 1;
  chain.conversion.forEach((probability, state) => {
    if (probability > 0) largest = Math.max(largest, chain.conversionValue[state] / probability);
  });
  return largest;
}

function reversed(chain: AbsorbingChain): [Int32Array, Int32Array] {
  const { stateCount, rowStart, edgeTarget } = chain;
  const start = new Int32Array(stateCount + 1);
  for (const target of edgeTarget) start[target + 1]++;
  for (let state = 0; state < stateCount; state++) start[state + 1] += start[state];
  const fill = start.slice(0, stateCount);
  const source = new Int32Array(edgeTarget.length);
  for (let state = 0; state < stateCount; state++) {
    for (let edge = rowStart[state]; edge < rowStart[state + 1]; edge++) source[fill[edgeTarget[edge]]++] = state;
  }
  return [start, source];
}
