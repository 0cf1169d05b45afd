/**
 * Five9 web services: the SOAP wire format (`xml.ts`), faults in plain words (`faults.ts`), one
 * request per user at a time (`queue.ts`), the host and report zone of a data center
 * (`dataCenters.ts`), the client that sends through the shared transport (`client.ts`) and the
 * domain's request counters (`counters.ts`). The
 * provisional evaluations API has its own client (`evaluationsApi.ts`).
 */
export * from './xml';
export * from './faults';
export * from './queue';
export * from './dataCenters';
export * from './client';
export * from './counters';
