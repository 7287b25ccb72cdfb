// Hands the thread back to the event loop for one task, so that queued messages (a worker's cancel
// request) are handled between synchronous chunks of work. The CPU backend computes synchronously and
// would otherwise run a whole edit, generation or benchmark without ever reading the cancel; the WebGPU
// backend yields by itself while it waits on the GPU. A MessageChannel task, not setTimeout(0), which
// browsers clamp to 4 ms once timers nest.
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
