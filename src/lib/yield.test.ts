import { expect, it } from 'vitest';
import { yieldToEventLoop } from './yield';

it('lets a message queued before it be handled first', async () => {
  const order: string[] = [];
  const { port1, port2 } = new MessageChannel();
  port1.onmessage = () => order.push('message');
  port2.postMessage(null);
  await yieldToEventLoop();
  order.push('after the yield');
  port1.close();
  expect(order).toEqual(['message', 'after the yield']);
});
