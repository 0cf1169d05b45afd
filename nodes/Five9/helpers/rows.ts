import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { columnConverters, type CellValue, type ConvertOptions } from './values';

/** Builds one object per CSV record, keyed by the report's column names, values converted. */
export function objectRows(convert: ConvertOptions, timeZone: string) {
	return (header: string[]) => {
		const converters = columnConverters(header, convert, timeZone);
		const width = header.length;
		return (record: string[]): IDataObject => {
			const row: IDataObject = {};
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

/** Sorts collection options by name, as n8n shows them. */
export function sortedOptions(options: INodeProperties[]): INodeProperties[] {
	return [...options].sort((a, b) => a.displayName.localeCompare(b.displayName));
}
