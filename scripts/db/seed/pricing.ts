/**
 * scripts/db/seed/pricing.ts: list prices of the models the demo data uses (USD per million
 * tokens), so message costs, cost transactions and budgets are consistent with each other.
 */

export const MODEL_PRICES: Readonly<
  Record<string, { readonly provider: string; readonly input: number; readonly output: number }>
> = {
  'gpt-5.2': { provider: 'openai', input: 1.25, output: 10 },
  'gpt-5.2-mini': { provider: 'openai', input: 0.25, output: 2 },
  'claude-sonnet-4-5-20250929': { provider: 'anthropic', input: 3, output: 15 },
  'claude-haiku-4-5': { provider: 'anthropic', input: 1, output: 5 },
  'gemini-2.5-pro': { provider: 'gemini', input: 1.25, output: 10 },
};

export function tokenCost(model: string, input: number, output: number): number {
  const price = MODEL_PRICES[model] ?? { input: 1, output: 5 };
  return (input * price.input + output * price.output) / 1_000_000;
}
