import type { EventView } from '../domain/events.js';

/**
 * A delivery's body, as Standard Webhooks shapes it: the event's reason as
 * `type`, its time as `timestamp`, and the event itself, exactly as
 * GET /events shows it, as `data`. Written once, when the event is recorded.
 */
export const deliveryBody = (event: EventView) => JSON.stringify({ type: event.reason, timestamp: event.at, data: event });
