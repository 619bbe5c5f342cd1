import { describe, expect, it } from 'vitest';
import { SyncEvents } from '../../connectors/sync-events.js';

describe('SyncEvents', () => {
  it("tells an object's health only once the event of its apply has come, then the last event since", () => {
    const e = new SyncEvents();
    e.note('web', '7', { health: 'Healthy' }); // older than the apply (rv 9): says nothing of now
    expect(e.since('web', '9')).toBeUndefined();
    e.note('web', '9', { health: 'Progressing' }); // the apply's own event
    expect(e.since('web', '9')).toEqual({ health: 'Progressing' });
    e.note('web', '10', { health: 'Healthy' });
    expect(e.since('web', '9')).toEqual({ health: 'Healthy' });
    expect(e.since('web', undefined)).toBeUndefined(); // an apply that answered no resourceVersion
    expect(e.since('other', '9')).toBeUndefined();
  });

  it('keeps the last 16 events of an object: an apply whose event scrolled out is read again', () => {
    const e = new SyncEvents();
    e.note('web', '1', { health: 'Progressing' });
    for (let rv = 2; rv <= 17; rv++) e.note('web', String(rv), { health: 'Healthy' });
    expect(e.since('web', '1')).toBeUndefined();
    expect(e.since('web', '2')).toEqual({ health: 'Healthy' });
  });
});
