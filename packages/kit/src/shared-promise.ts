// Work started once per key and shared: whoever asks for a key while its promise is pending or fulfilled gets that
// promise; a rejected one is forgotten, so the next asker starts the work again.

/** A Map or WeakMap of promises. */
export interface PromiseStore<K, V> {
  get(key: K): Promise<V> | undefined;
  set(key: K, value: Promise<V>): unknown;
  delete(key: K): unknown;
}

/** The promise `store` keeps for `key`, or `start()`'s, kept there until it rejects. */
export function sharedPromise<K, V>(store: PromiseStore<K, V>, key: K, start: () => Promise<V>): Promise<V> {
  let promise = store.get(key);
  if (!promise) {
    promise = start();
    store.set(key, promise);
    promise.catch(() => store.delete(key));
  }
  return promise;
}
