import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The shared secrets of a Five9 MediaStream subscription's CTI event destination (docs/cti.md,
 * "Trust-token handshake").
 * Nothing here is sent anywhere: n8n answers Five9's validation with the token's SHA-256 and
 * checks the API key on every delivery. The Five9 CTI Trigger node tests the format
 * (`testedBy`), since no Five9 endpoint can verify a trust token.
 */
export class Five9CtiApi implements ICredentialType {
	name = 'five9CtiApi';

	displayName = 'Five9 CTI Events API';

	icon: Icon = {
		light: 'file:../nodes/Five9CtiTrigger/five9Cti.svg',
		dark: 'file:../nodes/Five9CtiTrigger/five9Cti.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-five9-assembled/n8n-nodes-five9-assembled#five9-cti-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Trust Token',
			name: 'trustToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The same value you enter as Trust Token in the Five9 subscription. Use a long random value, e.g. the output of `openssl rand -hex 32`.',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Shown once by Five9 after you save the subscription. Deliveries without this key in the x-api-key or X-F9-APIKEY header are refused (401). Until you have it, turn on "Validation Only" in the trigger so Five9 can validate the URL.',
		},
	];
}
