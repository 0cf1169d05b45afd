import type { IDataObject } from 'n8n-workflow';

import { columnConverters, type CellValue, type ConvertOptions } from './values';

/**
 * Builds one object per CSV record, keyed by the report's column names, values converted.
 * `extraKeys` are reserved (as null) for fields the caller adds, such as `_window`.
 *
 * Rows are copied from a template made by JSON.parse: objects that get two dozen keys one by one
 * through `row[name] = …` fall into V8's slow dictionary mode and take about six times the memory
 * (measured: 85 MB instead of 14 MB for 50,000 Call Log rows).
 */
export function objectRows(convert: ConvertOptions, timeZone: string, extraKeys: string[] = []) {
	return (header: string[]) => {
		const converters = columnConverters(header, convert, timeZone);
		const width = header.length;
		const skeleton: Record<string, null> = {};
		for (const key of [...header, ...extraKeys]) skeleton[key] = null;
		const template = JSON.parse(JSON.stringify(skeleton)) as IDataObject;
		return (record: string[]): IDataObject => {
			const row: IDataObject = { ...template };
			for (let i = 0; i < width; i++) row[header[i]] = converters[i](record[i]);
			return row;
		};
	};
}

/** Like `objectRows`, but keeps records as arrays (for CSV files). */
export function arrayRows(convert: ConvertOptions, timeZone: string) {
	return (header: string[]) => {
		const converters = columnConverters(header, convert, timeZone);
		return (record: string[]): CellValue[] => record.map((value, i) => converters[i](value));
	};
}
