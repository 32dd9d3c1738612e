/** Waiting on a store that may be down: a probe or a scrape must answer, whatever the store does. */

/** The result of `read`, or undefined when it fails or takes longer than `ms`. */
export async function within<T>(ms: number, read: () => Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([read(), new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
