import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { FIVE9_DATA_CENTERS, type Five9DataCenter } from '../../../credentials/Five9Api.credentials';

const dataCenterKey = (credentials: ICredentialDataDecryptedObject) => String(credentials.dataCenter || 'us');

/** The credential's data center; "custom" and unknown values count as US. */
function dataCenterOf(credentials: ICredentialDataDecryptedObject) {
	const key = dataCenterKey(credentials);
	return Object.hasOwn(FIVE9_DATA_CENTERS, key) ? FIVE9_DATA_CENTERS[key as Five9DataCenter] : FIVE9_DATA_CENTERS.us;
}

/** Web-services base URL for the credential's data center (no trailing slash). */
export function five9BaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const raw = dataCenterKey(credentials) === 'custom' ? String(credentials.baseUrl ?? '').trim() : dataCenterOf(credentials).baseUrl;
	return raw.replace(/\/+$/, '');
}

/** The zone report times are read in: the credential's, else the data center's usual one. */
export function five9ReportTimeZone(credentials: ICredentialDataDecryptedObject): string {
	const configured = String(credentials.reportTimeZone ?? '').trim();
	return configured || dataCenterOf(credentials).timeZone;
}
