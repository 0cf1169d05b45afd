/**
 * What scripts outside the test suite (benchmarks, the demo) use: n8n's engine with this package's
 * nodes, workflow helpers, and the local vendor servers. They import this file only, so the test
 * tree can be rearranged without touching them. Importing it loads n8n-core: set N8N_USER_FOLDER
 * before the import.
 */
export {
	configure,
	pollAndRun,
	pollTrigger,
	readWorkflow,
	runWorkflow,
	setConfiguration,
	useFile,
	type PollResult,
	type RunOptions,
	type WorkflowJson,
	type WorkflowRun,
} from './engine';
export { singleNodeWorkflow } from './single-node';
export { assembledNode, rowsInto } from './workflows';
export { scoreRows } from '../fixtures/scores';

export { AssembledMock, makePeople, type AssembledMockOptions } from '../mocks/assembled';
export { Five9Mock, MOCK_PASSWORD, MOCK_USER, type Five9MockOptions } from '../mocks/five9';
export { callFacts, callLogRows, defaultReports, gridIndexes, toFive9Csv } from '../mocks/five9-data';
export { AQM_REPORT, agentsFor, aqmReport } from '../mocks/evaluations';
