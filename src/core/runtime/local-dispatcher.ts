// The in-process Dispatcher: the ChannelScheduler (deliver/scheduler.ts) runs every turn here.
import { ChannelScheduler } from '../deliver/scheduler.js';
import type { Dispatcher, DispatchWork } from './ports.js';

export function localDispatcher(work: DispatchWork, clock: { now(): number }): Dispatcher {
  const scheduler = new ChannelScheduler({ ...work, turn: (key) => work.turn(key), now: () => clock.now() });
  return {
    kick: (key) => scheduler.kick(key),
    start: async () => undefined,
    stop: (timeoutMs = 5000) => scheduler.stop(timeoutMs),
    idle: () => scheduler.idle(),
  };
}
