// A unit test that needs root (owners, device nodes, trusted xattrs) fails with this message when
// run without it, instead of being skipped: a skipped test reads as a passed one in a summary.
/** `it` for a test that needs root: without it, the test fails saying so. */
export function rootIt(name: string, fn: () => Promise<void> | void): void {
  it(name, async () => {
    if (process.getuid?.() !== 0) {
      throw new Error('this test needs root (it makes files owned by others, device nodes or trusted xattrs): run the unit tests as root, like the rest of npm test');
    }
    await fn();
  });
}
