import type { INodeProperties } from 'n8n-workflow';

import type { Show } from '../../../shared/options';
import { resourceLocator } from '../common.descriptions';

/**
 * The activity type, by pick, ID, or name (short name or import ID too); an expression may also give
 * the type's name (e.g. Coaching): `activityTypeIdOf` looks it up.
 */
export function activityTypeField(show: Show): INodeProperties {
	return resourceLocator({
		displayName: 'Activity Type',
		name: 'typeId',
		searchListMethod: 'searchActivityTypes',
		description: 'The activity type: pick it, or give its ID, or its name, short name or import ID',
		show,
		required: true,
		byName: { placeholder: 'e.g. Coaching' },
	});
}
