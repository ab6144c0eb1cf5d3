// Preloaded into the program with `node --import` by the crash tests (Node strips the types): on
// SIGCONT it throws an uncaught exception, or (with E2E_CRASH=rejection) leaves a rejection
// unhandled, while the interactive program runs. No test hook is needed in the program itself.
// SIGCONT because its default action is harmless and neither Ink nor signal-exit listens for it
// (signal-exit re-raises the signals it knows, SIGUSR2 among them, which would fire this twice).
process.on('SIGCONT', () => {
  if (process.env['E2E_CRASH'] === 'rejection') {
    void Promise.reject(new Error('e2e: simulated unhandled rejection'));
  } else {
    setImmediate(() => {
      throw new Error('e2e: simulated crash');
    });
  }
});
