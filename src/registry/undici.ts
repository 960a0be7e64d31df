/**
 * undici, loaded on first use. It is the largest module the CLI imports (about
 * 130 ms to load), and commands that never touch the network (build, init,
 * export-rules, audit) should not pay for it at start-up.
 */
let loading: Promise<typeof import('undici')> | undefined;

export function undici(): Promise<typeof import('undici')> {
  loading ??= import('undici');
  return loading;
}
