// Citizen_Profile_Changed__e: Data Cloud has no change feed for unified profiles; an org that
// wants to react to a profile or insight change configures a Data Cloud-Triggered Flow (started
// when a Data Cloud object's record is created or updated) or a Data Action whose target is a
// Salesforce Platform Event, and publishes a platform event from it. The emulator plays that org
// automation: every change made through the /__emulator/datacloud/citizen-change hook publishes
// one Citizen_Profile_Changed__e { UnifiedIndividualId__c, ChangeType__c (profile | insight),
// ChangedFields__c (comma-separated Data Cloud field names), ChangedAt__c (epoch ms, as the
// Pub/Sub API carries date/time values) }, after the change is visible to the Query API.
// Data Cloud-Triggered Flow: https://help.salesforce.com/s/articleView?id=sf.c360_a_data_cloud_triggered_flow.htm
// Data Actions (Salesforce Platform Event target): https://help.salesforce.com/s/articleView?id=sf.c360_a_data_actions.htm
// Platform events over the Pub/Sub API: https://developer.salesforce.com/docs/platform/pub-sub-api/guide/intro.html
import type { EmulatorClock } from '../core/clock.js';
import type { EventBus } from './event-bus.js';
import { platformEventSchema } from './schemas.js';

export const CITIZEN_CHANGE_TOPIC = '/event/Citizen_Profile_Changed__e';

export type CitizenChangeType = 'profile' | 'insight';

export function defineCitizenTopic(bus: EventBus): void {
  bus.define(
    CITIZEN_CHANGE_TOPIC,
    platformEventSchema('Citizen_Profile_Changed__e', [
      { name: 'UnifiedIndividualId__c', type: 'string' },
      { name: 'ChangeType__c', type: 'string' },
      { name: 'ChangedFields__c', type: 'string' },
      { name: 'ChangedAt__c', type: 'long' },
    ]),
    true,
  );
}

/** Publishes the event the org's flow publishes for one changed citizen. */
export function publishCitizenChange(
  bus: EventBus,
  clock: EmulatorClock,
  change: {
    unifiedId: string;
    changeType: CitizenChangeType;
    changedFields: string[];
    userId: string;
  },
): void {
  const at = clock.now();
  bus.publish(CITIZEN_CHANGE_TOPIC, {
    CreatedDate: at,
    CreatedById: change.userId,
    UnifiedIndividualId__c: { string: change.unifiedId },
    ChangeType__c: { string: change.changeType },
    ChangedFields__c: { string: change.changedFields.join(',') },
    ChangedAt__c: { long: at },
  });
}
