/**
 * Takes secrets out of text a vendor or proxy sent back, before that text becomes part of a
 * message, a description or an output item. Servers and proxies echo requests in many shapes, so
 * every secret is searched for in each form it travels in: raw, inside the base64 of an HTTP Basic
 * pair, URL-encoded, HTML- and JSON-escaped, and as a URL's user info. Redaction runs on the raw
 * text, before tags are stripped or text is cut short, so no part of a secret survives either step.
 */

const MASK = '***';

/** Secrets shorter than this are left to the patterns below: masking them would shred messages. */
const MIN_SECRET_LENGTH = 4;

// Credentials that travel in headers, whatever the secret: the scheme stays, the value goes.
const GENERIC_PATTERNS: Array<[RegExp, string]> = [
	[/\b(Basic|Bearer|Digest|Token)(\s+|%20|\+)[A-Za-z0-9\-._~+/%]{6,}=*(%3D)*/gi, `$1$2${MASK}`],
	[
		/\b(authorization|proxy-authorization|x-api-key|x-f9-apikey|api-key|apikey|access_token|client_secret|password)("?\s*[:=]\s*"?)[^\s"',;&<|]+/gi,
		`$1$2${MASK}`,
	],
	// User info in a URL (`https://user:pass@host`), raw or percent-encoded.
	[/\b([a-z][a-z0-9+.-]*:(?:\/\/|%2F%2F))[^\s/@"'<>]+@/gi, `$1${MASK}@`],
	// Assembled key shapes (the credential's own key is masked exactly; this catches other keys).
	[/\bsk_(live|test)_[A-Za-z0-9]{4,}/g, `sk_$1_${MASK}`],
];

function htmlForms(text: string): string[] {
	const amp = text.replace(/&/g, '&amp;');
	const minimal = amp.replace(/</g, '&lt;').replace(/>/g, '&gt;');
	const quoted = minimal.replace(/"/g, '&quot;');
	return [
		minimal,
		quoted.replace(/'/g, '&#39;'),
		quoted.replace(/'/g, '&#x27;'),
		quoted.replace(/'/g, '&apos;'),
		// Numeric references for every character that has a named one.
		text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`),
		text.replace(/[&<>"']/g, (char) => `&#x${char.charCodeAt(0).toString(16)};`),
	];
}

function jsonForms(text: string): string[] {
	const plain = JSON.stringify(text).slice(1, -1);
	// Some serializers also escape HTML-significant characters and non-ASCII.
	const guarded = plain.replace(/[<>&'\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
	// Some serializers escape only <, > and &, others only what is not ASCII: each on its own is a form too.
	return [plain, guarded, plain.replace(/\//g, '\\/'), ...[/[<>&]/g, /[\u007f-\uffff]/g].map((only) => plain.replace(only, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`))];
}

function urlForms(text: string): string[] {
	const component = encodeURIComponent(text);
	return [
		component,
		component.replace(/%20/g, '+'),
		// Lower-case hex, as some clients write it.
		component.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
		encodeURI(text),
		escape(text),
	];
}

function base64Forms(text: string): string[] {
	const standard = Buffer.from(text, 'utf8').toString('base64');
	const unpadded = standard.replace(/=+$/, '');
	return [standard, unpadded, Buffer.from(text, 'utf8').toString('base64url'), encodeURIComponent(standard)];
}

/** Every form `secret` may take in an echoed request. */
export function secretForms(secret: string): string[] {
	const forms = new Set<string>([secret]);
	for (const form of [...htmlForms(secret), ...jsonForms(secret), ...urlForms(secret), ...base64Forms(secret)]) {
		forms.add(form);
	}
	// Escaping twice happens when a page quotes a JSON body, or a JSON body quotes a page.
	for (const form of [...urlForms(secret), ...jsonForms(secret)]) for (const twice of htmlForms(form)) forms.add(twice);
	for (const form of htmlForms(secret)) for (const twice of jsonForms(form)) forms.add(twice);
	return [...forms];
}

export class Redactor {
	private forms: string[] = [];
	private readonly known = new Set<string>();

	/** A secret value (password, API key, token), in every form it may be echoed in. */
	addSecret(secret: unknown): this {
		if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || this.known.has(secret)) return this;
		this.known.add(secret);
		for (const form of secretForms(secret)) if (form.length >= MIN_SECRET_LENGTH) this.forms.push(form);
		// Longest first, so a form that contains another is masked whole.
		this.forms = [...new Set(this.forms)].sort((a, b) => b.length - a.length);
		return this;
	}

	/** An HTTP Basic pair: the base64 of `user:password` is as secret as the password itself. */
	addBasicPair(user: unknown, password: unknown): this {
		const pair = `${typeof user === 'string' ? user : ''}:${typeof password === 'string' ? password : ''}`;
		if (pair === ':') return this;
		for (const form of base64Forms(pair)) this.addSecret(form);
		// The decoded pair, as a page that shows "user:password" would print it.
		if (typeof password === 'string' && password.length > 0) this.addSecret(pair);
		return this;
	}

	/** The user info of a URL (`https://user:pass@proxy`), decoded and as written. */
	addUrl(url: unknown): this {
		if (typeof url !== 'string') return this;
		const match = /^[a-z][a-z0-9+.-]*:\/\/([^/@]*)@/i.exec(url.trim());
		if (!match) return this;
		const [user, password = ''] = match[1].split(':');
		const decode = (text: string) => {
			try {
				return decodeURIComponent(text);
			} catch {
				return text;
			}
		};
		this.addSecret(password);
		this.addSecret(decode(password));
		this.addBasicPair(decode(user), decode(password));
		return this;
	}

	/** The text with every known secret, in every form, and every credential-shaped value masked. */
	redact(text: string): string {
		if (!text) return text;
		let result = text;
		for (const form of this.forms) {
			if (result.includes(form)) result = result.split(form).join(MASK);
		}
		for (const [pattern, replacement] of GENERIC_PATTERNS) result = result.replace(pattern, replacement);
		return result;
	}

	/** A URL as it may be shown: user info masked, query and fragment dropped (a redirect's may echo the request). */
	redactUrl(url: string): string {
		return this.redact(url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, `$1${MASK}@`).replace(/[?#][\s\S]*$/, ''));
	}
}

/**
 * A vendor's words fit for a message: redacted first, then markup dropped and whitespace folded,
 * then shortened — so neither the stripping nor the cut can leave part of a secret behind.
 */
export function plainWords(redactor: Redactor, text: string, max: number): string {
	const words = redactor
		.redact(text)
		.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return words.length > max ? `${words.slice(0, max)}…` : words;
}
