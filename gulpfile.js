// After tsc: copy what TypeScript does not emit into dist/ — node and credential icons,
// and the example workflows, which n8n's own build would leave out of the package.
const { src, dest, parallel } = require('gulp');

function icons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

function workflows() {
	return src('workflows/**/*.json', { base: '.' }).pipe(dest('dist'));
}

exports.build = parallel(icons, workflows);
exports.default = exports.build;
