/**
 * Something a `describe` block shares (an app, a service context): made before its tests and
 * closed after them. The returned handle is filled in by `beforeAll`, so use it inside tests and
 * hooks only, never while the block is being declared.
 */
export function perDescribe<T extends { close(): Promise<void> }>(create: () => Promise<T>): T {
  const handle = {} as T;
  beforeAll(async () => {
    Object.assign(handle, await create());
  });
  afterAll(() => handle.close());
  return handle;
}
