import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { FIVE9_DATA_CENTERS } from '../../../credentials/Five9Api.credentials';

export type Five9DataCenter = keyof typeof FIVE9_DATA_CENTERS | 'custom';

/** Web-services base URL for the credential's data center (no trailing slash). */
export function five9BaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const dataCenter = String(credentials.dataCenter || 'us') as Five9DataCenter;
	const raw =
		dataCenter === 'custom'
			? String(credentials.baseUrl ?? '').trim()
			: FIVE9_DATA_CENTERS[dataCenter]?.baseUrl ?? FIVE9_DATA_CENTERS.us.baseUrl;
	return raw.replace(/\/+$/, '');
}

/** The zone report times are read in: the credential's, else the data center's usual one. */
export function five9ReportTimeZone(credentials: ICredentialDataDecryptedObject): string {
	const configured = String(credentials.reportTimeZone ?? '').trim();
	if (configured) return configured;
	const dataCenter = String(credentials.dataCenter || 'us') as Five9DataCenter;
	return dataCenter === 'custom'
		? FIVE9_DATA_CENTERS.us.timeZone
		: FIVE9_DATA_CENTERS[dataCenter]?.timeZone ?? FIVE9_DATA_CENTERS.us.timeZone;
}

