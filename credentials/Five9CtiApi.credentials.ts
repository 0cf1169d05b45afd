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
			// Not marked required: n8n tests a credential on save only when every required field is
			// filled, and the test is what offers a generated token.
			description:
				'The same value you enter as Trust Token in the Five9 subscription: a long random secret. Leave it empty and save: the test then offers a freshly generated one (64 hex characters) to paste here and in Five9.',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			// Not marked required, so the test can run before Five9 has shown the key; the test and the
			// trigger still refuse to go on without it.
			description:
				'Shown once by Five9 after you save the subscription. Deliveries without this key in the x-api-key or X-F9-APIKEY header are refused (401). Until you have it, turn on "Validation Only" in the trigger so Five9 can validate the URL.',
		},
	];
}
