interface Step {
  what: string;
  undo: () => Promise<unknown> | unknown;
}

/** Things to undo, undone last-in first-out; each step runs even when an earlier one failed, and only once. */
export class CleanupStack {
  private readonly steps: Step[] = [];

  /** Returns a function that undoes this step now, for what ends before the whole run does. */
  push(what: string, undo: () => Promise<unknown> | unknown): () => Promise<void> {
    const step = { what, undo };
    this.steps.push(step);
    return async () => {
      const index = this.steps.indexOf(step);
      if (index < 0) return;
      this.steps.splice(index, 1);
      await step.undo();
    };
  }

  async run(): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.undo();
      } catch (err) {
        console.error(`cleanup: ${step.what} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
