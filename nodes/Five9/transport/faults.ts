/**
 * Five9 SOAP faults in plain words, by the name of their detail element (docs/five9.md, "Faults"):
 * what happened, what to do, and whether another try after a pause can help.
 */
import { FIVE9_REJECTED_LOGIN } from '../../../credentials/Five9Api.credentials';
import type { SoapFault } from './xml';

export interface FaultWords {
	message: (fault: SoapFault) => string;
	action: string;
	/** Worth another try after a pause. */
	retry?: boolean;
}

const RIGHTS_ACTION =
	'In Five9 Admin, give the integration user the Administrator role with all administrative services and APIs, reporting rights, and (for agent states) Supervisor with "Execute Web API" explicitly enabled.';

const CONCURRENT_WORDS: FaultWords = {
	message: () => 'Another program is using the same Five9 user at the same moment',
	action:
		'Five9 refuses concurrent requests of one user. Give n8n its own Five9 integration user, or stop the other program or workflow that uses this one.',
	retry: true,
};

export const FAULT_WORDS: Record<string, FaultWords> = {
	ReportNotFoundFault: {
		message: (f) =>
			`Five9 has no report "${f.detail.reportName ?? '?'}" in folder "${f.detail.folder ?? '?'}"`,
		action:
			'Folder and report names are case-sensitive and must match Five9 exactly (Reports → Custom Reports), in the language of the integration user’s locale. The user must also be allowed to see the report.',
	},
	UnknownIdentifierFault: {
		message: () => 'Five9 no longer knows this report run',
		action: 'Report results expire or belong to another user. Run the report again.',
	},
	ResultIsNotReadyFault: {
		message: () => 'The Five9 report is still being generated',
		action: 'Raise "Max Wait (Seconds)" in the node options, or use smaller windows.',
	},
	AccessDisallowedFault: {
		message: () => 'Five9 refused access: the user lacks the rights for this web service',
		action: RIGHTS_ACTION,
	},
	InvalidAccountFault: {
		message: () => FIVE9_REJECTED_LOGIN,
		action:
			'Check the Five9 credential. Five9 also answers this when the user’s security questions were never answered: log in once as that user and complete them.',
	},
	OperationsLimitExceededFault: {
		message: (f) =>
			`Five9's request limit${f.detail.operationType ? ` for ${f.detail.operationType}` : ''}${
				f.detail.limit ? ` (${f.detail.limit} requests)` : ''
			} is used up`,
		action:
			'Five9 counts web-service requests per domain over hours and a day, for all programs using the domain. Run the workflow less often, use fewer and larger windows, keep a larger Quota Reserve (%) on backfills and long report runs so they leave room for the others, or ask Five9 to raise the limit.',
		retry: true,
	},
	UserAlreadyLoggedInFault: CONCURRENT_WORDS,
	SessionClosedFault: CONCURRENT_WORDS,
	AdminSessionClosedFault: CONCURRENT_WORDS,
	ServiceUnavailableFault: {
		message: () => 'Five9 web services are unavailable',
		action: 'This is usually temporary (maintenance). Run the workflow again later.',
		retry: true,
	},
	ServerFault: {
		message: () => 'Five9 had an internal error',
		action: 'This is usually temporary. If it keeps happening for one window, try smaller windows.',
		retry: true,
	},
	IncorrectArgumentFault: {
		message: () => 'Five9 rejected a value in the request',
		action: 'Check the dates, the criteria and the names in the node.',
	},
	MissedArgumentFault: {
		message: () => 'Five9 says a required value is missing from the request',
		action: 'Fill in the folder, report and dates.',
	},
	ObjectNotFoundFault: {
		message: (f) =>
			`Five9 has no ${f.detail.objectType ?? 'object'}${f.detail.objectName ? ` named "${f.detail.objectName}"` : ''}`,
		action: 'Check the names under Criteria: they must match Five9 exactly.',
	},
	InvalidRegexpPatternFault: {
		message: (f) => `Five9 could not read the name pattern${f.detail.pattern ? ` "${f.detail.pattern}"` : ''}`,
		action:
			'Name patterns are regular expressions: Support.* lists the names starting with Support. Put a backslash before . ( ) [ ] + ? * to match them as they are, or leave the pattern empty to list all.',
	},
	SessionNotInitializedFault: {
		message: () => 'The Five9 supervisor session was not set up',
		action: 'Run the node again; it starts a session before each request for statistics.',
	},
	UnknownColumnFault: {
		message: () => 'Five9 does not know one of the requested statistics columns',
		action: 'Check the column names under Options → Columns; they are case-sensitive.',
	},
	UserLimitReachedFault: {
		message: () => 'Five9 has no free supervisor session for this user',
		action: 'Close other supervisor sessions of the integration user.',
		retry: true,
	},
};
