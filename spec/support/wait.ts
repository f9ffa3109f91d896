// One way for specs to wait on something real (a server, a child process, a file): poll, with a bound.

/** Polls `check` every 10 ms until it returns true, at most `timeoutMs`; fails naming `what` otherwise. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
