import type { CustomerFill, RejectedRow } from '../source/types.js';

/**
 * Rejects that name no customer, by their conversation (a few numbers a reject: an export may reject many).
 * A reject naming one, however wrongly, keeps its cells as they are.
 */
export class CustomerFills {
  private readonly ids: number[] = [];
  private readonly conversations: string[] = [];
  private readonly headerSets: CustomerFill['headers'][] = [];
  private readonly headerSetOf: number[] = [];
  private readonly headerSetKeys = new Map<string, number>();

  add(id: number, reject: RejectedRow): void {
    const fill = reject.customerFill as CustomerFill;
    const named = [fill.headers.customer_id, fill.headers.customer_email].some(
      (header) => header !== undefined && (reject.raw[header] ?? '').trim() !== '',
    );
    if (named) return;
    const key = JSON.stringify(fill.headers);
    let set = this.headerSetKeys.get(key);
    if (set === undefined) {
      set = this.headerSets.push(fill.headers) - 1;
      this.headerSetKeys.set(key, set);
    }
    this.ids.push(id);
    this.conversations.push(fill.conversationId);
    this.headerSetOf.push(set);
  }

  *entries(): Generator<{ id: number; conversationId: string; headers: CustomerFill['headers'] }> {
    for (let i = 0; i < this.ids.length; i++) {
      yield {
        id: this.ids[i] as number,
        conversationId: this.conversations[i] as string,
        headers: this.headerSets[this.headerSetOf[i] as number] as CustomerFill['headers'],
      };
    }
  }
}
