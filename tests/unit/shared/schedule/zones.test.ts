// Zone names as the CM looks for them: tzdata's current names for the ones ICU still lists under
// a replaced name (the composer's and the posting queues' zone lists).
import { describe, expect, it } from 'vitest';
import { currentZoneName, knownZones } from '../../../../src/shared/schedule/zones';

describe('zone names', () => {
  it('gives the current IANA name of a replaced one, and leaves the others as they are', () => {
    expect(currentZoneName('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(currentZoneName('Europe/Kiev')).toBe('Europe/Kyiv');
    expect(currentZoneName('America/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(currentZoneName('Europe/Paris')).toBe('Europe/Paris');
    expect(currentZoneName('Mars/Olympus')).toBe('Mars/Olympus');
  });

  it('lists every zone the runtime knows once, under its current name', () => {
    const zones = knownZones();
    expect(zones).toEqual(expect.arrayContaining(['Asia/Kolkata', 'Europe/Kyiv', 'Europe/Paris', 'America/New_York']));
    expect(zones).not.toContain('Asia/Calcutta');
    expect(zones).not.toContain('Europe/Kiev');
    expect(new Set(zones).size).toBe(zones.length);
  });
});
