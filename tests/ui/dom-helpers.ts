/** Shared by the extension pages' component tests (happy-dom): waiting for what renders later. */

/** Polls until check() stops throwing (pages load from storage or the background asynchronously). */
export async function waitFor<T>(check: () => T, timeoutMs = 2000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** The element, or a throw (so waitFor keeps polling until it appears). */
export function present<T extends Element>(element: T | null | undefined, what = 'element'): T {
  if (!element) throw new Error(`${what} not on the page yet`);
  return element;
}
