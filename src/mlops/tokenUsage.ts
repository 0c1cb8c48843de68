import type { Knex } from 'knex';
import { JobTokenUsage, type PricingModel } from '../models/index.js';
import { TOKEN_USAGE_FILE, type Problem, type TokenUsageNode } from './outputFiles.js';
import { priceAt } from './pricing.js';

/**
 * Token totals and cost of one job. Money is computed in integers: a DECIMAL(8,6) price is a whole
 * number of micro-units per 1k tokens, so tokens × micro-price is an exact count of nano-units.
 */

export const DEFAULT_CURRENCY = 'USD';
const NANOS_PER_UNIT = 1e9;
const NANOS_PER_COST_STEP = 100_000n; // estimated_cost is DECIMAL(10,4)

export interface PricedNode extends TokenUsageNode {
  pricingModelId: string | null;
  inputCost: number;
  outputCost: number;
  cost: number;
  /** Used tokens of a model that had no price in effect at pricedAt; costed 0. */
  unpriced: boolean;
}

export interface NodeBreakdown {
  nodes: PricedNode[];
  currency: string;
  /** The job start time every node was priced at (ISO). */
  pricedAt: string;
  problems: Problem[];
}

export interface TokenTotals {
  totalInputTokens: number;
  totalOutputTokens: number;
  totalTokens: number;
}

const nanos = (tokens: number | null, pricePer1k: number) => BigInt(tokens ?? 0) * BigInt(Math.round(pricePer1k * 1e6));
const toUnits = (n: bigint) => Number(n) / NANOS_PER_UNIT;
const toNanos = (units: number) => BigInt(Math.round(units * NANOS_PER_UNIT));

/** Only a node that used tokens of a named model needs a price; the others cost 0 legitimately. */
const needsPrice = (n: TokenUsageNode) => n.model !== null && (n.inputTokens ?? 0) + (n.outputTokens ?? 0) > 0;

function unpricedNode(node: TokenUsageNode): PricedNode {
  return { ...node, pricingModelId: null, inputCost: 0, outputCost: 0, cost: 0, unpriced: needsPrice(node) };
}

export function priceNode(node: TokenUsageNode, prices: readonly PricingModel[], pricedAt: Date): PricedNode {
  const price = needsPrice(node) && node.model ? priceAt(prices, node.model, pricedAt) : undefined;
  if (!price) return unpricedNode(node);
  const input = nanos(node.inputTokens, price.inputPricePer1k);
  const output = nanos(node.outputTokens, price.outputPricePer1k);
  return {
    ...node,
    pricingModelId: price.pricingModelId,
    inputCost: toUnits(input),
    outputCost: toUnits(output),
    cost: toUnits(input + output),
    unpriced: false,
  };
}

/** Strips a priced node back to what token_usage.json said, for re-pricing. */
export function usageOf(node: PricedNode): TokenUsageNode {
  const { node: name, model, inputTokens, outputTokens, totalTokens, durationSeconds } = node;
  return { node: name, model, inputTokens, outputTokens, totalTokens, durationSeconds };
}

export interface CostSummary {
  nodes: PricedNode[];
  currency: string;
  estimatedCost: number;
  /** One 'unpriced' problem per node that needed a price and has none. */
  problems: Problem[];
}

/**
 * Sums node costs in one currency: that of the first priced node. A node priced in another
 * currency cannot be added, so it is treated as unpriced rather than converted at a guessed rate.
 */
export function summariseCost(priced: readonly PricedNode[], pricesById: ReadonlyMap<string, PricingModel>, pricedAt: Date): CostSummary {
  const currencyOf = (n: PricedNode) => (n.pricingModelId ? pricesById.get(n.pricingModelId)?.currency : undefined);
  const currency = priced.map(currencyOf).find((c) => c !== undefined) ?? DEFAULT_CURRENCY;
  const problems: Problem[] = [];
  const nodes = priced.map((n) => {
    const nodeCurrency = currencyOf(n);
    if (n.pricingModelId && nodeCurrency !== currency) {
      problems.push({
        file: TOKEN_USAGE_FILE,
        problem: 'unpriced',
        detail: `node ${n.node}: ${n.model} is priced in ${nodeCurrency ?? 'an unknown currency'}, the job in ${currency}`,
      });
      return { ...unpricedNode(n), unpriced: true };
    }
    if (n.unpriced) {
      problems.push({ file: TOKEN_USAGE_FILE, problem: 'unpriced', detail: `node ${n.node}: no price for ${n.model} in effect at ${pricedAt.toISOString()}` });
    }
    return n;
  });
  const total = nodes.reduce((sum, n) => sum + toNanos(n.cost), 0n);
  const steps = (total + NANOS_PER_COST_STEP / 2n) / NANOS_PER_COST_STEP;
  return { nodes, currency, estimatedCost: Number(steps) / 1e4, problems };
}

export function tokenTotals(nodes: readonly TokenUsageNode[]): TokenTotals {
  const sum = (pick: (n: TokenUsageNode) => number) => nodes.reduce((s, n) => s + pick(n), 0);
  return {
    totalInputTokens: sum((n) => n.inputTokens ?? 0),
    totalOutputTokens: sum((n) => n.outputTokens ?? 0),
    // A node that reports its parts but no total still used them.
    totalTokens: sum((n) => n.totalTokens ?? (n.inputTokens ?? 0) + (n.outputTokens ?? 0)),
  };
}

export const pricesById = (prices: readonly PricingModel[]) => new Map(prices.map((p) => [p.pricingModelId, p]));

/** The complete breakdown of one job: priced nodes, parse problems first, then pricing problems. */
export function buildBreakdown(
  usage: readonly TokenUsageNode[],
  prices: readonly PricingModel[],
  pricedAt: Date,
  parseProblems: readonly Problem[],
): { breakdown: NodeBreakdown; estimatedCost: number } {
  const summary = summariseCost(
    usage.map((n) => priceNode(n, prices, pricedAt)),
    pricesById(prices),
    pricedAt,
  );
  return {
    breakdown: { nodes: summary.nodes, currency: summary.currency, pricedAt: pricedAt.toISOString(), problems: [...parseProblems, ...summary.problems] },
    estimatedCost: summary.estimatedCost,
  };
}

const MUTABLE_COLUMNS = ['total_input_tokens', 'total_output_tokens', 'total_tokens', 'node_breakdown', 'estimated_cost'];

/**
 * One row per job. ON CONFLICT DO UPDATE rather than DO NOTHING: the row is a pure function of the
 * output files and the price table, so a retry rewrites the same values, while re-ingesting
 * corrected files is not silently ignored. created_at keeps the first write.
 */
export interface TokenUsageInput {
  jobId: number;
  usage: readonly TokenUsageNode[];
  /** The job's start time: the instant whose prices apply. */
  pricedAt: Date;
  parseProblems: readonly Problem[];
  prices: readonly PricingModel[];
}

export async function writeTokenUsage(db: Knex, input: TokenUsageInput): Promise<TokenTotals & { estimatedCost: number; breakdown: NodeBreakdown }> {
  const totals = tokenTotals(input.usage);
  const { breakdown, estimatedCost } = buildBreakdown(input.usage, input.prices, input.pricedAt, input.parseProblems);
  await JobTokenUsage.query(db)
    .insert({ id: input.jobId, ...totals, nodeBreakdown: breakdown as unknown as Record<string, unknown>, estimatedCost, createdAt: new Date() })
    .onConflict('id')
    .merge(MUTABLE_COLUMNS);
  return { ...totals, estimatedCost, breakdown };
}
